"""Shared values: ideal points, vote agreement and ideal-point distance from UN General Assembly votes.

The flow is warehouse -> this module -> warehouse: :func:`estimate` reads the ``un_votes`` and
``unvotes_roll_calls`` tables (the UN votes reader), bridges repeated resolutions
(:func:`~multipolar.dimensions.idealpoints.bridge_items`), fits
:class:`~multipolar.dimensions.idealpoints.DynamicOrdinalIdealPoints` and stores the fit as a *run*.

Runs: a fit never overwrites another
------------------------------------
Every stored fit is a run with an id derived from what made it (:func:`run_id_for`: the years, a
fingerprint of the votes used, the model's parameters), kept beside all the others, in one
transaction per store (:meth:`~multipolar.warehouse.Warehouse.transaction`):

* ``ideal_points_runs``: one row per run: run_id, current (exactly one run is current), created,
  years, first_year, last_year, requested_years, default_fit, votes_id, params (JSON), the fit's
  figures (iterations, converged, omega, log posterior, seconds);
* ``ideal_points_by_run`` (run_id, code, year, ideal_point, se, lo, hi, n_votes);
* ``ideal_point_items_by_run`` (run_id, one row per roll call with its item's parameters);
* ``vote_agreement_by_votes`` (votes_id, undirected dyad-years): agreement depends on the votes only,
  so runs on the same votes share it;
* ``ideal_points``, ``ideal_point_items`` and ``vote_agreement``: views on the *current* run's rows,
  under the names every reader (the dyads' values verb, the dashboard, the snapshot) has always used.

Which run is current changes only when asked: a fit with no options (every year with votes, the
default parameters) becomes current, as does the first fit of a warehouse; any other fit (a subset
of years, another omega) is stored and listed but not current unless ``store=True``
(``--store``); ``store=False`` (``--no-store``) stores nothing. :func:`use_run` makes a stored run
current. A warehouse written before runs were kept (one set of tables) is read as one run and
converted, without loss, by the next fit that stores.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, MultipolarError

VOTE_SOURCE = "Voeten, E., Strezhnev, A., Bailey, M. United Nations General Assembly Voting Data (Harvard Dataverse), via the R package unvotes"
#: a calendar year needs at least this many recorded roll calls to get ideal points and vote agreement.
#: In the shared data every regular year has 26 to 160; below 10 are 1951 (7: the sixth session met in
#: Paris and recorded its votes in 1952), and, in unvotes alone, 2020 (1: the tail of the 74th session) and
#: 2022 (1: ES-11/1); with the UN Digital Library's records 2020 has 100 and 2021 87.
#: A year below it gets no estimate at all, not a number from one roll call.
MIN_ROLL_CALLS = 10
METHOD = "multipolar dynamic ordinal ideal points (MAP, Laplace intervals)"


@dataclass
class Run:
    """One estimation: results and what produced them."""
    ideal_points: pd.DataFrame
    items: pd.DataFrame
    agreement: pd.DataFrame | None      # None when not computed (not stored, or already stored for the same votes)
    meta: dict = field(default_factory=dict)


from ..years import parse_years  # noqa: E402,F401  (the one year parser; imported here by older callers)


def load_votes(wh, years=None, selection=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Votes (rcid, year, state, vote 1/2/3, item) and roll calls (with their bridged ``item``).

    ``selection``: which roll calls (:mod:`multipolar.dimensions.selection`: ``all``, ``issue=hr``,
    ``important``, ``rcid=FILE``). Items are bridged over every roll call read, then the selection
    is applied; ``rc.attrs["selection"]`` is its coverage per year and ``rc.attrs["notes"]`` says
    what it kept and what it could not classify."""
    # un_roll_calls: every roll call of un_votes, from unvotes and the UN Digital Library (built by the readers);
    # a warehouse imported before it existed has unvotes' roll calls only
    rc_table = "un_roll_calls" if wh.has("un_roll_calls") else "unvotes_roll_calls"
    for t in ("un_votes", rc_table):
        if not wh.has(t):
            raise MultipolarError(f"the warehouse {wh.path} has no table {t!r}: import the UN votes first, "
                                  "e.g. `multipolar data import ../shared/data/un_votes`")
    rng = parse_years(years)
    where = f"WHERE year BETWEEN {rng[0]} AND {rng[1]}" if rng else ""
    votes = wh.query(f"SELECT rcid, year, code AS state, vote_ordinal AS vote FROM un_votes {where}")
    if votes.empty:
        lo, hi = wh.query("SELECT min(year), max(year) FROM un_votes").iloc[0] if rng else (None, None)
        if lo is None or pd.isna(lo):
            raise MultipolarError("the un_votes table is empty: import the UN votes (`multipolar data import ../shared/data/un_votes`)")
        raise InputError(f"--years: no UN votes in {rng[0]}-{rng[1]}: the UN votes cover {int(lo)}-{int(hi)}",
                         hint=f"choose years within {int(lo)}-{int(hi)}")
    rc = wh.query(f"SELECT rcid, session, year, date, unres, amend, para, short, descr FROM {rc_table}")
    rc = rc[rc["rcid"].isin(votes["rcid"].unique())].reset_index(drop=True)
    from .idealpoints import bridge_items          # (scipy is imported only when it is needed)
    rc["item"] = bridge_items(rc).to_numpy()
    votes = votes.merge(rc[["rcid", "item"]], on="rcid", how="left")
    votes["item"] = votes["item"].fillna("R" + votes["rcid"].astype(str))
    return _select(wh, votes, rc, selection)


def _select(wh, votes, rc, selection):
    from . import selection as S
    sel = S.parse(selection)
    if sel.kind == "all":
        return votes, rc
    v, r, cov = S.select(votes, rc, sel, wh)
    if v.empty:
        raise InputError(f"--votes {sel.spec}: no roll call of {sel.label} among the votes read"
                         + (f" ({int(rc['year'].min())}-{int(rc['year'].max())})" if len(rc) else ""),
                         hint="choose other years or another selection (`issue=me|nu|di|hr|co|ec`, `important`)")
    r.attrs["selection"] = cov
    r.attrs["notes"] = S.describe(cov, sel)
    r.attrs["votes"] = sel.spec
    return v, r


def supported_years(votes: pd.DataFrame) -> tuple[list[int], dict[int, int]]:
    """(the years with at least :data:`MIN_ROLL_CALLS` roll calls, {year: roll calls} of the others)."""
    n = votes.groupby("year")["rcid"].nunique()
    return sorted(int(y) for y in n[n >= MIN_ROLL_CALLS].index), {int(y): int(k) for y, k in n[n < MIN_ROLL_CALLS].items()}


def full_sessions(ip: pd.DataFrame, upto: int | None = None, voting: tuple[str, ...] = ()) -> list[int]:
    """The years (up to ``upto``) whose ideal points rest on a full session: the median state voted
    on at least :data:`MIN_ROLL_CALLS` roll calls (the one rule for a full UN session); with
    ``voting``, only the years in which every one of those states has an ideal point."""
    d = ip if upto is None else ip[ip["year"] <= upto]
    full = d.groupby("year")["n_votes"].median()
    years = sorted(int(y) for y in full[full >= MIN_ROLL_CALLS].index)
    if voting:
        present = d[d["code"].isin(voting)].groupby("year")["code"].nunique()
        years = [y for y in years if present.get(y, 0) == len(set(voting))]
    return years


def last_full_session(ip: pd.DataFrame, upto: int | None = None, voting: tuple[str, ...] = ()) -> int | None:
    """The last of :func:`full_sessions` (up to ``upto``, with ``voting``), or None: "the latest UN votes"."""
    years = full_sessions(ip, upto, voting)
    return years[-1] if years else None


def vote_agreement(votes: pd.DataFrame) -> pd.DataFrame:
    """Agreement of every pair of states per year, over the roll calls both voted on.

    Columns: code_a < code_b, year, n_common (roll calls both voted on: yes, abstain or no;
    absences are not votes), agree_share (identical votes / n_common), kappa (Cohen 1960: (p_o -
    p_e) / (1 - p_e) with p_e = sum_c p_a(c) p_b(c), each state's own shares of yes/abstain/no on
    the common roll calls) and scott_pi (Scott 1955: p_e from the pooled shares,
    sum_c ((p_a(c) + p_b(c)) / 2)^2), the chance-corrected agreement used for foreign-policy
    similarity (Häge 2011, *Political Analysis* 19(3)). Both are missing when p_e = 1 (no variation).
    Computed per year with matrix products over state x roll-call indicator matrices.
    """
    out = []
    for year, g in votes.groupby("year", sort=True):
        st, si = np.unique(g["state"].to_numpy(), return_inverse=True)
        _, ri = np.unique(g["rcid"].to_numpy(), return_inverse=True)
        n_s, n_r = len(st), ri.max() + 1
        V = np.zeros((n_s, n_r))
        V[si, ri] = 1.0
        I = []
        for c in (1, 2, 3):
            M = np.zeros((n_s, n_r))
            sel = g["vote"].to_numpy() == c
            M[si[sel], ri[sel]] = 1.0
            I.append(M)
        n = V @ V.T
        same = sum(M @ M.T for M in I)
        pa = [M @ V.T for M in I]            # [a, b]: a's votes in category c on the roll calls b voted on
        with np.errstate(invalid="ignore", divide="ignore"):
            po = same / n
            shares_a = [x / n for x in pa]
            shares_b = [x.T / n for x in pa]
            pe_k = sum(a * b for a, b in zip(shares_a, shares_b))
            pe_s = sum(((a + b) / 2) ** 2 for a, b in zip(shares_a, shares_b))
            kappa = np.where(pe_k < 1 - 1e-12, (po - pe_k) / (1 - pe_k), np.nan)
            pi = np.where(pe_s < 1 - 1e-12, (po - pe_s) / (1 - pe_s), np.nan)
        a, b = np.triu_indices(n_s, 1)
        keep = n[a, b] > 0
        a, b = a[keep], b[keep]
        out.append(pd.DataFrame({"code_a": st[a], "code_b": st[b], "year": np.int32(year), "n_common": n[a, b].astype(np.int32),
                                 "agree_share": po[a, b], "kappa": kappa[a, b], "scott_pi": pi[a, b]}))
    cols = ["code_a", "code_b", "year", "n_common", "agree_share", "kappa", "scott_pi"]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=cols)


def ideal_point_distance(ip: pd.DataFrame, ci: float = 0.90) -> pd.DataFrame:
    """|theta_a - theta_b| for every pair of states in each year, with its uncertainty: the SQL of
    :func:`multipolar.dimensions.dyads.ip_distance_sql` (the one formula) run on a data frame.

    ``ip``: code (or state), year, ideal_point, se. Columns: code_a < code_b, year, distance,
    distance_se (sqrt(se_a^2 + se_b^2)) and the ``ci`` interval [distance_lo, distance_hi] of
    theta_a - theta_b folded at 0: when it straddles 0 it is [0, max(|lo|, |hi|)].
    """
    import duckdb
    from scipy.special import ndtri

    from .dyads.values import ip_distance_sql
    ip = ip.rename(columns={"state": "code"})[["code", "year", "ideal_point", "se"]]
    cols = ", ".join(f"{sql} AS {name.removeprefix('ip_')}"
                     for name, sql in ip_distance_sql(z=float(ndtri(0.5 + ci / 2))).items())
    with duckdb.connect() as con:
        con.register("ip", ip)
        return con.execute(f"SELECT ipa.code AS code_a, ipb.code AS code_b, ipa.year, {cols} FROM ip ipa "
                           "JOIN ip ipb ON ipb.year = ipa.year AND ipa.code < ipb.code ORDER BY ipa.year, code_a, code_b").df()


def pca_baseline(votes: pd.DataFrame, anchor: str = "USA") -> pd.DataFrame:
    """The per-year baseline: first principal component of the state x roll-call matrix of votes
    (yes 3, abstain 2, no 1; a missing vote is the roll call's mean), standardised within the year,
    sign fixed so ``anchor`` is positive. Each year has its own scale: not comparable across years."""
    out = []
    for year, g in votes.groupby("year", sort=True):
        M = g.pivot_table(index="state", columns="rcid", values="vote", aggfunc="first")
        if min(M.shape) < 2:
            continue
        X = (M - M.mean()).fillna(0.0).to_numpy()
        u, s, _ = np.linalg.svd(X, full_matrices=False)
        pc = u[:, 0] * s[0]
        pc = (pc - pc.mean()) / (pc.std() or 1.0)
        idx = list(M.index)
        if anchor in idx and pc[idx.index(anchor)] < 0:
            pc = -pc
        out.append(pd.DataFrame({"state": idx, "year": year, "ideal_point": pc}))
    return pd.concat(out, ignore_index=True)


def compare_estimates(a: pd.DataFrame, b: pd.DataFrame, names=("a", "b")) -> tuple[pd.DataFrame, dict]:
    """Correlation of two sets of estimates (columns state/code, year, ideal_point), per year and overall.

    Returns (per-year table: year, n, pearson, spearman; summary dict: n, years, pearson,
    spearman, pearson of the within-state changes from year to year, mean and min of the per-year
    pearson). A sign difference shows up as negative correlations: it is reported, not flipped.
    """
    def norm(df):
        df = df.rename(columns={"state": "code"})
        return df[["code", "year", "ideal_point"]].dropna()
    m = norm(a).merge(norm(b), on=["code", "year"], suffixes=("_a", "_b"))
    if m.empty:
        raise InputError("the two sets of estimates share no state-year: check that both use the same codes "
                         "(multipolar codes or ISO3; published BSV files are read by `multipolar data import`)")
    rows = []
    for y, g in m.groupby("year"):
        if len(g) >= 3:
            rows.append({"year": int(y), "n": len(g), "pearson": g["ideal_point_a"].corr(g["ideal_point_b"]),
                         "spearman": g["ideal_point_a"].corr(g["ideal_point_b"], method="spearman")})
    per_year = pd.DataFrame(rows, columns=["year", "n", "pearson", "spearman"])
    ms = m.sort_values(["code", "year"])
    same = ms["code"].eq(ms["code"].shift()) & ms["year"].eq(ms["year"].shift() + 1)
    da, db = ms["ideal_point_a"].diff()[same], ms["ideal_point_b"].diff()[same]
    summary = {"a": names[0], "b": names[1], "n": int(len(m)), "years": f"{int(m['year'].min())}-{int(m['year'].max())}",
               "pearson": float(m["ideal_point_a"].corr(m["ideal_point_b"])),
               "spearman": float(m["ideal_point_a"].corr(m["ideal_point_b"], method="spearman")),
               "pearson_changes": float(da.corr(db)) if len(da) > 2 else float("nan"),
               "per_year_mean": float(per_year["pearson"].mean()), "per_year_min": float(per_year["pearson"].min())}
    return per_year, summary


def read_estimates(spec: str, wh=None) -> tuple[pd.DataFrame, str]:
    """A set of estimates by name or path: ``multipolar`` (the current run stored by ``multipolar idealpoints``),
    a stored run's id (or a unique beginning of it),
    ``published`` (imported published file, ``idealpointall``), ``pca`` (the per-year baseline),
    or a Parquet/CSV file with columns state or code or iso3c, year and ideal_point (or
    idealpointall / idealpointfp, the published layout)."""
    if spec == "multipolar":
        df = read_run(wh) if wh is not None else None
        if df is None:
            raise MultipolarError("no stored multipolar ideal points: run `multipolar idealpoints` first")
        return df, f"multipolar (run {df.attrs['run']['run_id']})"
    if spec == "published":
        if wh is None or not wh.has("ideal_points_published"):
            raise MultipolarError("no published ideal points in the warehouse: import a published file (Bailey, Strezhnev & "
                                  "Voeten layout) with `multipolar data import FILE`, or give its path")
        df = wh.table("ideal_points_published")
        col = "idealpointall" if "idealpointall" in df else "idealpointfp"
        return df.rename(columns={col: "ideal_point"}), "published"
    if spec == "pca":
        votes, _ = load_votes(wh)
        return pca_baseline(votes), "pca baseline"
    p = Path(spec)
    if not p.exists() and wh is not None and layout(wh) != "none":
        ids = [str(x) for x in runs(wh)["run_id"]]
        if any(i.startswith(spec) for i in ids):
            df = read_run(wh, spec)
            return df, f"run {df.attrs['run']['run_id']}"
    if not p.exists():
        raise InputError(f"{spec}: not a file, and not one of multipolar, published, pca or a stored run id "
                         "(`multipolar idealpoints runs` lists them)")
    df = pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(p)
    df.columns = [c.lower() for c in df.columns]
    if "ideal_point" not in df:
        for c in ("idealpointall", "idealpointfp", "theta", "estimate"):
            if c in df:
                df = df.rename(columns={c: "ideal_point"})
                break
    if "code" not in df and "state" not in df:
        # COW codes first: they resolve by date (365 is the USSR until 1991), while published files
        # often write the USSR as iso3c RUS
        from ..actors.registry import registry
        reg = registry()
        if "ccode" in df:
            df["code"] = [reg.resolve(int(c), year=int(y), system="cow") for c, y in zip(df["ccode"], df["year"])]
        elif "iso3c" in df:
            df["code"] = [reg.resolve(c, year=int(y)) for c, y in zip(df["iso3c"], df["year"])]
    missing = [c for c in ("year", "ideal_point") if c not in df] + ([] if ("code" in df or "state" in df) else ["code/state/iso3c/ccode"])
    if missing:
        raise InputError(f"{p}: missing column(s) {', '.join(missing)}; expected state (or code, iso3c, ccode), year and "
                         "ideal_point (or idealpointall)")
    return df, p.name


# -- runs: every fit is kept; one of them is current ---------------------------------------------

#: the list of runs (one row per run: its parameters, what it fitted, ``current``)
RUNS = "ideal_points_runs"
#: the per-run tables (name -> (table, key)); the old names are views on the current run's rows
BY_RUN = {"ideal_points": ("ideal_points_by_run", "run_id"), "ideal_point_items": ("ideal_point_items_by_run", "run_id"),
          "vote_agreement": ("vote_agreement_by_votes", "votes_id")}


def _clean(params: dict) -> dict:
    return {k: v for k, v in params.items() if k != "verbose"}


def default_params() -> dict:
    """The model's default parameters (those of a plain ``multipolar idealpoints``)."""
    from .idealpoints import DynamicOrdinalIdealPoints
    return _clean(DynamicOrdinalIdealPoints().get_params())


def votes_fingerprint(votes: pd.DataFrame) -> str:
    """A short sha256 of the votes a fit uses (roll call, state, vote and the bridged item), whatever
    their order: two fits with the same fingerprint saw the same votes."""
    import hashlib
    v = votes[["rcid", "state", "vote", "item"]].sort_values(["rcid", "state"], kind="stable")
    h = pd.util.hash_pandas_object(v, index=False).to_numpy()
    return hashlib.sha256(h.tobytes()).hexdigest()[:12]


def run_id_for(first: int, last: int, votes_id: str, params: dict) -> str:
    """``FIRST-LAST-xxxxxxxx``: the years, then a hash of the votes used, the model's parameters, the
    roll-call threshold and the method. The same inputs give the same id (a refit replaces its own run)."""
    import hashlib
    key = json.dumps({"votes": votes_id, "years": [int(first), int(last)], "params": params, "min_roll_calls": MIN_ROLL_CALLS,
                      "method": METHOD}, sort_keys=True, default=str)
    return f"{int(first)}-{int(last)}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def _kinds(con) -> dict[str, str]:
    """{name: BASE TABLE | VIEW} of the ideal-point objects in the warehouse."""
    names = [RUNS, *BY_RUN, *(t for t, _ in BY_RUN.values())]
    lst = ", ".join(f"'{n}'" for n in names)
    return dict(con.execute("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' "
                            f"AND table_name IN ({lst})").fetchall())


def layout(wh) -> str:
    """How the warehouse stores ideal points: ``none``; ``runs`` (every run kept, views on the current
    one); ``legacy`` (one set of tables, written before runs were kept: read as one run, converted to
    runs by the next fit that stores)."""
    if not wh.path.exists():
        return "none"
    with wh.connect() as con:
        return _layout(_kinds(con))


def _layout(kinds: dict) -> str:
    if "ideal_points_by_run" in kinds:
        return "runs"
    return "legacy" if kinds.get("ideal_points") == "BASE TABLE" else "none"


def _legacy_run(con, kinds) -> dict:
    """The one run of a warehouse written before runs were kept, described as a run."""
    row = {}
    if RUNS in kinds:
        df = con.execute(f"SELECT * FROM {RUNS}").df()
        if len(df):
            row = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in df.iloc[-1].to_dict().items()}
    first, last = con.execute("SELECT min(year), max(year) FROM ideal_points").fetchall()[0]
    first, last = (int(first), int(last)) if first is not None else (0, 0)
    import hashlib
    tag = hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()[:8]
    rid = f"{first}-{last}-{tag}"
    return {**row, "run_id": rid, "votes_id": f"legacy-{tag}", "current": True, "first_year": first, "last_year": last,
            "years": row.get("years") or f"{first}-{last}", "requested_years": row.get("requested_years") or "unknown",
            "note": "fitted before every run was kept (one set of tables); its votes are not fingerprinted"}


def runs(wh) -> pd.DataFrame:
    """Every stored run, oldest first: run_id, current, years, created, votes_id, params and the fit's figures."""
    if not wh.path.exists():
        return pd.DataFrame(columns=["run_id", "current", "years", "created"])
    with wh.connect() as con:
        kinds = _kinds(con)
        lay = _layout(kinds)
        if lay == "legacy":
            return pd.DataFrame([_legacy_run(con, kinds)])
        if lay == "none" or RUNS not in kinds:
            return pd.DataFrame(columns=["run_id", "current", "years", "created"])
        return con.execute(f"SELECT * FROM {RUNS} ORDER BY created, run_id").df()


def current_run(wh) -> dict | None:
    """The current run (a dict of its row), or None when the warehouse holds no ideal points."""
    r = runs(wh)
    cur = r[r["current"].fillna(False).astype(bool)] if len(r) else r
    return cur.iloc[-1].to_dict() if len(cur) else None


def describe_run(run: dict | None, basis: str = "the warehouse") -> str:
    """One line saying which run a result read: its id, years, when it was fitted, and whether it is current."""
    if not run:
        return "ideal points: none stored"
    cur = "the current run" if run.get("current") else "not the current run"
    rid = f"run {run['run_id']}" if run.get("run_id") else "the one stored fit (written before runs were kept)"
    return (f"ideal points: {rid} (years {run.get('years')}, fitted {run.get('created') or 'at an unknown time'}; "
            f"{cur} of {basis})")


def resolve_run(wh, spec: str) -> str:
    """A run id from its full id or a unique beginning of it (``1991-2019`` when one run has those years)."""
    r = runs(wh)
    ids = [str(x) for x in r["run_id"]] if len(r) else []
    if spec in ids:
        return spec
    hits = [i for i in ids if i.startswith(str(spec))]
    if len(hits) == 1:
        return hits[0]
    listing = ", ".join(ids) if ids else "none (run `multipolar idealpoints` first)"
    if hits:
        raise InputError(f"run {spec!r} is ambiguous: it begins {', '.join(hits)}", hint="give more of the run id "
                         "(`multipolar idealpoints runs` lists them)")
    raise InputError(f"no stored ideal-point run {spec!r}", expected=f"one of: {listing}",
                     hint="`multipolar idealpoints runs` lists the stored runs")


def read_run(wh, run_id: str | None = None) -> pd.DataFrame | None:
    """The ideal points of one run (default: the current one), with ``attrs["run"]`` (its row) and
    ``attrs["notes"]`` (which run it is). None when the warehouse holds no ideal points."""
    lay = layout(wh)
    if lay == "none":
        if run_id is not None:
            raise InputError(f"no stored ideal-point run {run_id!r}: the warehouse {wh.path} holds no ideal points",
                             hint="run `multipolar idealpoints` first")
        return None
    if lay == "legacy":
        run = current_run(wh)
        if run_id is not None and run_id != run["run_id"]:
            resolve_run(wh, run_id)                       # raises, listing the one run
        df = wh.query("SELECT * FROM ideal_points")
    else:
        rid = resolve_run(wh, run_id) if run_id is not None else (current_run(wh) or {}).get("run_id")
        if rid is None:
            return None
        r = runs(wh)
        run = r[r["run_id"] == rid].iloc[0].to_dict()
        df = wh.query("SELECT * EXCLUDE (run_id) FROM ideal_points_by_run WHERE run_id = ? ORDER BY code, year", [rid])
    df.attrs["run"] = run
    df.attrs["notes"] = [describe_run(run, f"the warehouse {wh.path}")]
    return df


def agreement_stored(wh, votes_id: str) -> bool:
    """True when the warehouse holds vote agreement computed from the votes selection ``votes_id``."""
    if layout(wh) != "runs":
        return False
    with wh.connect() as con:
        if "vote_agreement_by_votes" not in _kinds(con):
            return False
        return con.execute("SELECT count(*) FROM vote_agreement_by_votes WHERE votes_id = ?", [votes_id]).fetchall()[0][0] > 0


def _append(con, table: str, df: pd.DataFrame) -> None:
    """Insert ``df`` into ``table`` by column name (created on first use; a column it lacks is added)."""
    con.register("_df", df)
    try:
        have = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' "
                                          "AND table_name = ?", [table]).fetchall()]
        if not have:
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _df').fetchall()
            return
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM _df)").fetchall())
        for c in df.columns:
            if c not in have:
                con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{c}" {types[c]}').fetchall()
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _df').fetchall()
    finally:
        con.unregister("_df")


def _views(con) -> None:
    """The old names as views on the current run: ideal_points, ideal_point_items, vote_agreement."""
    kinds = _kinds(con)
    for name, (table, key) in BY_RUN.items():
        if table in kinds:
            con.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT * EXCLUDE ({key}) FROM "{table}" '
                        f"WHERE {key} = (SELECT {key} FROM {RUNS} WHERE current LIMIT 1)").fetchall()


def _migrate_legacy(con, kinds) -> str:
    """Turn the tables of a warehouse written before runs were kept into its first run (nothing is lost)."""
    run = _legacy_run(con, kinds)
    rid, vid = run["run_id"], run["votes_id"]
    for name, (table, key) in BY_RUN.items():
        if kinds.get(name) == "BASE TABLE":
            val = vid if key == "votes_id" else rid
            con.execute(f"CREATE TABLE \"{table}\" AS SELECT '{val}' AS {key}, * FROM \"{name}\"").fetchall()
            con.execute(f'DROP TABLE "{name}"').fetchall()
    if RUNS in kinds:
        con.execute(f"DROP TABLE {RUNS}").fetchall()
    _append(con, RUNS, pd.DataFrame([run]))
    return rid


def store_run(wh, run: Run, current: bool = False) -> dict:
    """Store ``run`` under its run id in one transaction, keeping every other run (a failure leaves the
    warehouse as it was). It becomes the current run when ``current`` or when no run is current;
    a run with the same id (the same votes, years and parameters) is replaced by it. Returns
    {"current": made current, "replaced": the id existed, "previous_current": the current run before}."""
    rid, vid = run.meta["run_id"], run.meta["votes_id"]
    with wh.transaction() as con:
        kinds = _kinds(con)
        if _layout(kinds) == "legacy":
            _migrate_legacy(con, kinds)
            kinds = _kinds(con)
        prev = None
        replaced = False
        if RUNS in kinds:
            prev_row = (con.execute(f"SELECT run_id FROM {RUNS} WHERE current LIMIT 1").fetchall() or [None])[0]
            prev = prev_row[0] if prev_row else None
            replaced = con.execute(f"SELECT count(*) FROM {RUNS} WHERE run_id = ?", [rid]).fetchall()[0][0] > 0
            if replaced:
                for table, key in BY_RUN.values():
                    if key == "run_id" and table in kinds:
                        con.execute(f'DELETE FROM "{table}" WHERE run_id = ?', [rid]).fetchall()
                con.execute(f"DELETE FROM {RUNS} WHERE run_id = ?", [rid]).fetchall()
        still_current = con.execute(f"SELECT count(*) FROM {RUNS} WHERE current").fetchall()[0][0] > 0 if RUNS in kinds else False
        make_current = bool(current or not still_current)
        _append(con, "ideal_points_by_run", run.ideal_points.assign(run_id=rid)[["run_id", *run.ideal_points.columns]])
        _append(con, "ideal_point_items_by_run", run.items.assign(run_id=rid)[["run_id", *run.items.columns]])
        if run.agreement is not None:
            if "vote_agreement_by_votes" in kinds:
                con.execute("DELETE FROM vote_agreement_by_votes WHERE votes_id = ?", [vid]).fetchall()
            _append(con, "vote_agreement_by_votes", run.agreement.assign(votes_id=vid)[["votes_id", *run.agreement.columns]])
        if make_current and RUNS in kinds:
            con.execute(f"UPDATE {RUNS} SET current = false WHERE current").fetchall()
        row = {k: v for k, v in run.meta.items() if k not in ("replaced", "previous_current", "stored")}
        row["current"] = make_current
        _append(con, RUNS, pd.DataFrame([row]))
        _views(con)
    return {"current": make_current, "replaced": replaced, "previous_current": prev}


def use_run(wh, spec: str) -> dict:
    """Make a stored run the current one (what every reader of ``ideal_points`` then reads)."""
    if layout(wh) == "legacy":
        rid = resolve_run(wh, spec)                  # the one run: already current
        return current_run(wh)
    rid = resolve_run(wh, spec)
    with wh.transaction() as con:
        con.execute(f"UPDATE {RUNS} SET current = (run_id = ?)", [rid]).fetchall()
        _views(con)
    return current_run(wh)


def drop_run(wh, spec: str) -> str:
    """Delete a stored run that is not current (its vote agreement too, unless another run uses the same votes)."""
    rid = resolve_run(wh, spec)
    cur = current_run(wh)
    if cur and cur["run_id"] == rid:
        raise InputError(f"run {rid} is the current run: it is not deleted",
                         hint="make another run current first (`multipolar idealpoints use RUN`)")
    with wh.transaction() as con:
        kinds = _kinds(con)
        vid = con.execute(f"SELECT votes_id FROM {RUNS} WHERE run_id = ?", [rid]).fetchall()[0][0]
        for table, key in BY_RUN.values():
            if key == "run_id" and table in kinds:
                con.execute(f'DELETE FROM "{table}" WHERE run_id = ?', [rid]).fetchall()
        con.execute(f"DELETE FROM {RUNS} WHERE run_id = ?", [rid]).fetchall()
        others = con.execute(f"SELECT count(*) FROM {RUNS} WHERE votes_id = ?", [vid]).fetchall()[0][0]
        if not others and "vote_agreement_by_votes" in kinds:
            con.execute("DELETE FROM vote_agreement_by_votes WHERE votes_id = ?", [vid]).fetchall()
    return rid


def estimate(wh, years=None, *, store: bool | None = None, progress=None, selection=None, **params) -> Run:
    """Fit ideal points to the UN votes in the warehouse and store the fit as a run.

    ``store``: None (default) stores the run and makes it current when it is the default fit (every
    year with votes, the model's default parameters) or when no run is current yet; any other fit is
    stored beside the current run, which stays current. True stores it and makes it current. False
    stores nothing (the results are only returned). Every run is kept under its id
    (:func:`run_id_for`); ``meta`` says which, and whether it became current.

    ``selection``: the roll calls counted (:mod:`multipolar.dimensions.selection`, e.g.
    ``"issue=hr"``, ``"important"``); a restricted fit is never the default fit, so it is stored
    beside the current run (current only with ``store=True``), with ``votes`` in its row and the
    selection's coverage in ``meta["votes_notes"]``.
    """
    t0 = time.perf_counter()
    say = progress or (lambda msg: None)
    say("reading votes")
    rng = parse_years(years)
    from . import selection as S
    sel = S.parse(selection)
    votes, rc = load_votes(wh, years, sel)
    sel_notes = list(rc.attrs.get("notes", []))
    for n in sel_notes:
        say(n)
    vmin, vmax = wh.query("SELECT min(year), max(year) FROM un_votes").iloc[0]
    keep, dropped = supported_years(votes)
    if dropped:
        say("left out (fewer than %d roll calls): %s" % (MIN_ROLL_CALLS, ", ".join(f"{y} ({n})" for y, n in sorted(dropped.items()))))
        votes = votes[votes["year"].isin(keep)].reset_index(drop=True)
        rc = rc[rc["year"].isin(keep)].reset_index(drop=True)
    if votes.empty:
        raise MultipolarError(f"no year has {MIN_ROLL_CALLS} or more recorded roll calls in these years: nothing to estimate")
    from .idealpoints import DynamicOrdinalIdealPoints
    model = DynamicOrdinalIdealPoints(**params)
    mparams = _clean(model.get_params())
    votes_id = votes_fingerprint(votes)
    first, last = int(votes["year"].min()), int(votes["year"].max())
    run_id = run_id_for(first, last, votes_id, mparams)
    default_fit = sel.kind == "all" and mparams == default_params() and (rng is None or (rng[0] <= int(vmin) and rng[1] >= int(vmax)))
    t_load = time.perf_counter() - t0
    say(f"fitting {len(votes):,} votes")
    model.fit(votes)
    ip = model.ideal_points_.rename(columns={"state": "code"})
    items = rc[["rcid", "session", "year", "unres", "item"]].merge(model.items_, on="item", how="left")
    agreement = None
    if store is not False and not agreement_stored(wh, votes_id):
        say("vote agreement")
        agreement = vote_agreement(votes)
    bridged = rc["item"].str.startswith("B")
    meta = {
        "run_id": run_id, "created": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "years": f"{first}-{last}", "first_year": first, "last_year": last,
        "requested_years": f"{rng[0]}:{rng[1]}" if rng else "all", "default_fit": bool(default_fit), "votes_id": votes_id,
        "votes": sel.spec, "votes_notes": json.dumps(sel_notes),
        "method": METHOD, "source": VOTE_SOURCE, "n_votes": int(len(votes)),
        "min_roll_calls": MIN_ROLL_CALLS, "years_left_out": json.dumps(dropped),
        "n_roll_calls": int(len(rc)), "n_items": int(rc["item"].nunique()), "bridged_roll_calls": int(bridged.sum()),
        "bridge_chains": int(rc.loc[bridged, "item"].nunique()), "n_states": int(ip["code"].nunique()),
        "state_years": int(len(ip)), "omega": float(model.omega_), "iterations": int(model.n_iter_),
        "converged": bool(model.converged_), "log_posterior": float(model.log_posterior_), "scale": float(model.scale_),
        "params": json.dumps(mparams, sort_keys=True, default=str),
        "seconds_load": round(t_load, 2), "seconds_fit": round(model.fit_seconds_, 2),
    }
    run = Run(ip, items, agreement, meta)
    run.meta["seconds_total"] = round(time.perf_counter() - t0, 2)
    if store is False:
        run.meta.update(stored=False, current=False)
        return run
    say("storing")
    run.meta.update(store_run(wh, run, current=bool(store) or default_fit), stored=True)
    return run


def stored_ideal_points(db=None, run: str | None = None) -> pd.DataFrame | None:
    """The stored ideal points: the warehouse's current run (or the run ``run``: its id or a unique
    beginning of it), else the embedded snapshot's, else None. ``attrs["run"]`` says which run
    (run_id, years, created, current) and ``attrs["notes"]`` says it in words."""
    from ..warehouse import Warehouse
    w = Warehouse(db)
    df = read_run(w, run)
    if df is not None:
        return df
    from ..snapshot import manifest, snapshot_table
    df = snapshot_table("ideal_points")
    if df is not None:
        try:
            meta = dict(manifest().get("ideal_points_run") or {})
            built = manifest().get("built")
        except Exception:          # a snapshot without its manifest: say so rather than guess
            meta, built = {}, None
        meta.setdefault("run_id", "snapshot")
        meta.setdefault("years", f"{int(df['year'].min())}-{int(df['year'].max())}")
        meta["current"] = True
        df.attrs["run"] = meta
        df.attrs["notes"] = [describe_run(meta, f"the embedded snapshot (built {built})")]
    return df
