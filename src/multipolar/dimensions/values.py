"""Shared values: ideal points, vote agreement and ideal-point distance from UN General Assembly votes.

The flow is warehouse -> this module -> warehouse: :func:`estimate` reads the ``un_votes`` and
``unvotes_roll_calls`` tables (the UN votes reader), bridges repeated resolutions
(:func:`~multipolar.dimensions.idealpoints.bridge_items`), fits
:class:`~multipolar.dimensions.idealpoints.DynamicOrdinalIdealPoints` and stores, in one
transaction, ``ideal_points`` (code, year, ideal_point, se, lo, hi, n_votes), ``ideal_point_items``
(one row per roll call with its item's parameters), ``vote_agreement`` (undirected dyad-years) and
``ideal_points_runs`` (what was fitted, with which settings, how long it took).
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
#: Paris and recorded its votes in 1952), 2020 (1: the tail of the 74th session) and 2022 (1: ES-11/1).
#: A year below it gets no estimate at all, not a number from one roll call.
MIN_ROLL_CALLS = 10
METHOD = "multipolar dynamic ordinal ideal points (MAP, Laplace intervals)"


@dataclass
class Run:
    """One estimation: results and what produced them."""
    ideal_points: pd.DataFrame
    items: pd.DataFrame
    agreement: pd.DataFrame
    meta: dict = field(default_factory=dict)


def parse_years(spec) -> tuple[int, int] | None:
    """``"1991:2019"``, ``"2019"``, ``(1991, 2019)`` or None -> (first, last) or None."""
    if spec is None or spec == "":
        return None
    if isinstance(spec, (tuple, list)):
        lo, hi = int(spec[0]), int(spec[1])
    else:
        s = str(spec).strip()
        try:
            if ":" in s:
                a, b = s.split(":", 1)
                lo, hi = int(a) if a else 1946, int(b) if b else 2100
            else:
                lo = hi = int(s)
        except ValueError:
            raise InputError(f"--years: expected a year or a range FIRST:LAST such as 1991:2019, got {spec!r}") from None
    if lo > hi:
        raise InputError(f"--years: the first year {lo} is after the last {hi}; write FIRST:LAST, e.g. 1991:2019")
    return lo, hi


def load_votes(wh, years=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Votes (rcid, year, state, vote 1/2/3, item) and roll calls (with their bridged ``item``)."""
    for t in ("un_votes", "unvotes_roll_calls"):
        if not wh.has(t):
            raise MultipolarError(f"the warehouse {wh.path} has no table {t!r}: import the UN votes first, "
                                  "e.g. `multipolar data import ../shared/data/un_votes`")
    rng = parse_years(years)
    where = f"WHERE year BETWEEN {rng[0]} AND {rng[1]}" if rng else ""
    votes = wh.query(f"SELECT rcid, year, code AS state, vote_ordinal AS vote FROM un_votes {where}")
    if votes.empty:
        raise MultipolarError(f"no UN votes in {rng[0]}-{rng[1]}" if rng else "the un_votes table is empty")
    rc = wh.query("SELECT rcid, session, year, date, unres, amend, para, short, descr FROM unvotes_roll_calls")
    rc = rc[rc["rcid"].isin(votes["rcid"].unique())].reset_index(drop=True)
    from .idealpoints import bridge_items          # (scipy is imported only when it is needed)
    rc["item"] = bridge_items(rc).to_numpy()
    votes = votes.merge(rc[["rcid", "item"]], on="rcid", how="left")
    votes["item"] = votes["item"].fillna("R" + votes["rcid"].astype(str))
    return votes, rc


def supported_years(votes: pd.DataFrame) -> tuple[list[int], dict[int, int]]:
    """(the years with at least :data:`MIN_ROLL_CALLS` roll calls, {year: roll calls} of the others)."""
    n = votes.groupby("year")["rcid"].nunique()
    return sorted(int(y) for y in n[n >= MIN_ROLL_CALLS].index), {int(y): int(k) for y, k in n[n < MIN_ROLL_CALLS].items()}


def last_full_session(ip: pd.DataFrame, upto: int | None = None) -> int | None:
    """The last year (up to ``upto``) whose ideal points rest on a full session: the median state
    voted on at least :data:`MIN_ROLL_CALLS` roll calls (the one rule for "the latest UN votes")."""
    d = ip if upto is None else ip[ip["year"] <= upto]
    full = d.groupby("year")["n_votes"].median()
    full = full[full >= MIN_ROLL_CALLS]
    return int(full.index.max()) if len(full) else None


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
    """|theta_a - theta_b| for every pair of states in each year, with its uncertainty.

    ``ip``: code (or state), year, ideal_point, se. The difference d = theta_a - theta_b is taken as
    normal with sd sqrt(se_a^2 + se_b^2) (the Laplace approximation treats states as independent
    given the item parameters). ``distance_se`` is that sd; the interval [distance_lo, distance_hi]
    is the ``ci`` interval of d folded at 0: when it straddles 0 it is [0, max(|lo|, |hi|)].
    """
    from scipy.special import ndtri
    z = ndtri(0.5 + ci / 2)
    ip = ip.rename(columns={"state": "code"})[["code", "year", "ideal_point", "se"]]
    m = ip.merge(ip, on="year", suffixes=("_a", "_b"))
    m = m[m["code_a"] < m["code_b"]]
    d = m["ideal_point_a"] - m["ideal_point_b"]
    s = np.sqrt(m["se_a"] ** 2 + m["se_b"] ** 2)
    lo, hi = d - z * s, d + z * s
    straddle = (lo < 0) & (hi > 0)
    return pd.DataFrame({"code_a": m["code_a"].to_numpy(), "code_b": m["code_b"].to_numpy(), "year": m["year"].to_numpy(),
                         "distance": d.abs().to_numpy(), "distance_se": s.to_numpy(),
                         "distance_lo": np.where(straddle, 0.0, np.minimum(lo.abs(), hi.abs())),
                         "distance_hi": np.maximum(lo.abs(), hi.abs())}).reset_index(drop=True)


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
    """A set of estimates by name or path: ``multipolar`` (stored by ``multipolar idealpoints``),
    ``published`` (imported published file, ``idealpointall``), ``pca`` (the per-year baseline),
    or a Parquet/CSV file with columns state or code or iso3c, year and ideal_point (or
    idealpointall / idealpointfp, the published layout)."""
    if spec == "multipolar":
        if wh is None or not wh.has("ideal_points"):
            raise MultipolarError("no stored multipolar ideal points: run `multipolar idealpoints` first")
        return wh.table("ideal_points"), "multipolar"
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
    if not p.exists():
        raise InputError(f"{spec}: not a file, and not one of multipolar, published, pca")
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


def estimate(wh, years=None, *, store: bool = True, progress=None, **params) -> Run:
    """Fit ideal points to the UN votes in the warehouse and (by default) store them with vote agreement."""
    t0 = time.perf_counter()
    say = progress or (lambda msg: None)
    say("reading votes")
    votes, rc = load_votes(wh, years)
    keep, dropped = supported_years(votes)
    if dropped:
        say("left out (fewer than %d roll calls): %s" % (MIN_ROLL_CALLS, ", ".join(f"{y} ({n})" for y, n in sorted(dropped.items()))))
        votes = votes[votes["year"].isin(keep)].reset_index(drop=True)
        rc = rc[rc["year"].isin(keep)].reset_index(drop=True)
    if votes.empty:
        raise MultipolarError(f"no year has {MIN_ROLL_CALLS} or more recorded roll calls in these years: nothing to estimate")
    t_load = time.perf_counter() - t0
    say(f"fitting {len(votes):,} votes")
    from .idealpoints import DynamicOrdinalIdealPoints
    model = DynamicOrdinalIdealPoints(**params).fit(votes)
    ip = model.ideal_points_.rename(columns={"state": "code"})
    items = rc[["rcid", "session", "year", "unres", "item"]].merge(model.items_, on="item", how="left")
    say("vote agreement")
    agreement = vote_agreement(votes)
    bridged = rc["item"].str.startswith("B")
    meta = {
        "method": METHOD, "source": VOTE_SOURCE, "created": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "years": f"{int(votes['year'].min())}-{int(votes['year'].max())}", "n_votes": int(len(votes)),
        "min_roll_calls": MIN_ROLL_CALLS, "years_left_out": json.dumps(dropped),
        "n_roll_calls": int(len(rc)), "n_items": int(rc["item"].nunique()), "bridged_roll_calls": int(bridged.sum()),
        "bridge_chains": int(rc.loc[bridged, "item"].nunique()), "n_states": int(ip["code"].nunique()),
        "state_years": int(len(ip)), "omega": float(model.omega_), "iterations": int(model.n_iter_),
        "converged": bool(model.converged_), "log_posterior": float(model.log_posterior_), "scale": float(model.scale_),
        "params": json.dumps({k: v for k, v in model.get_params().items() if k != "verbose"}),
        "seconds_load": round(t_load, 2), "seconds_fit": round(model.fit_seconds_, 2),
    }
    run = Run(ip, items, agreement, meta)
    if store:
        say("storing")
        store_run(wh, run)
    run.meta["seconds_total"] = round(time.perf_counter() - t0, 2)
    return run


def store_run(wh, run: Run) -> None:
    """Replace the stored results in one transaction (a failure leaves the previous ones)."""
    meta = pd.DataFrame([run.meta])
    with wh.transaction() as con:
        for name, df in (("ideal_points", run.ideal_points), ("ideal_point_items", run.items),
                         ("vote_agreement", run.agreement), ("ideal_points_runs", meta)):
            con.register("_df", df)
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _df")
            con.unregister("_df")
