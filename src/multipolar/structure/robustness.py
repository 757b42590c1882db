"""Robustness of the blocs and of the values process to the votes counted.

Vote-based alignment measures move with the category of votes and the sample period (Airaudo,
de Soyres, Richards & Santacreu 2025, Federal Reserve IFDP 1408). This module makes that visible per
state and per year: the bloc split (:func:`multipolar.structure.blocs`: the IMF-style split of the
ideal points and, with ``network=True``, the Leiden blocs of the closeness graph) and the
scoreboard's values process (:mod:`multipolar.structure.fragmentation`: F = 1 - across/within of the
vote agreement) are recomputed under each *variant* of the votes:

* **issue areas**: every roll call (``all``), and each of unvotes' six issue areas (``me``, ``nu``,
  ``di``, ``hr``, ``co``, ``ec``; :mod:`multipolar.dimensions.selection`, with the UN Digital
  Library's untagged roll calls inheriting their chain's tags or left out as *unknown*) and the
  State Department's ``important`` votes;
* **windows**: the votes of the year's session alone (``1``), or of the year and the two before,
  pooled (``3``: the three sessions' votes as one period).

Each variant is one fit of the same model (:class:`~multipolar.dimensions.idealpoints.DynamicOrdinalIdealPoints`,
one period: the votes of the window) on the selected votes, its points mapped to the baseline's
mean and sd of the year (an affine map: the rank split is unchanged by it, and the network's values
score stays on the baseline's scale). A variant whose window holds fewer than
:data:`~multipolar.dimensions.values.MIN_ROLL_CALLS` selected roll calls gets no estimate (named, with
its count), never a bloc from a handful of votes. The **baseline** is what ``multipolar blocs`` shows:
the current run's split (every vote, the dynamic fit over all years).

Per state and year: the baseline bloc and its probability, the bloc under each variant, the number
of variants with an estimate, how many put the state in another bloc, the blocs it was seen in, and
``depends_on_votes``: the baseline bloc is the bloc of fewer than :data:`STABLE_SHARE` (3/4) of the
variants with an estimate. Per year: states, states that change bloc in at least one variant, states
whose bloc depends on the votes, the range of each bloc's size across variants, and the values
process's F under the baseline and its minimum and maximum across variants (vote agreement over the
variant's votes, blocs of the variant's split; pairs with at least
:data:`~multipolar.structure.fragmentation.MIN_COMMON_VOTES` common votes).
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

#: the vote selections of the robustness view (spec, short label)
SELECTIONS = [("all", "all"), ("issue=me", "me"), ("issue=nu", "nu"), ("issue=di", "di"), ("issue=hr", "hr"),
              ("issue=co", "co"), ("issue=ec", "ec"), ("important", "important")]
WINDOWS = (1, 3)
#: a state's bloc is stable when the baseline bloc is the bloc of at least this share of the variants
STABLE_SHARE = 0.75


def variant_name(label: str, window: int) -> str:
    """The name of a variant: the vote selection's label and the window in years."""
    return f"{label}/{window}"


def fit_window(votes: pd.DataFrame, year: int, window: int, min_roll_calls: int | None = None):
    """Ideal points of ``year`` from the votes of the window ``year - window + 1 ... year`` pooled as one
    period. Returns (points: code, year, ideal_point, se; or None, roll calls in the window)."""
    from ..dimensions.idealpoints import DynamicOrdinalIdealPoints
    from ..dimensions.values import MIN_ROLL_CALLS
    need = MIN_ROLL_CALLS if min_roll_calls is None else min_roll_calls
    v = votes[(votes["year"] <= year) & (votes["year"] > year - window)]
    n_rc = int(v["rcid"].nunique())
    if n_rc < need or not {"USA", "CHN"} <= set(v["state"]):
        return None, n_rc
    m = DynamicOrdinalIdealPoints().fit(v.assign(year=year))
    ip = m.ideal_points_.rename(columns={"state": "code"})[["code", "year", "ideal_point", "se"]]
    return ip, n_rc


SNAPSHOT_TABLES = ("robustness_states", "robustness_years", "robustness_variants")


def from_snapshot(years, *, tau: float = 1 / 3, draws: int = 100, seed: int = 0, network: bool = False, selections=None,
                  windows=WINDOWS, cut: str = "side"):
    """The robustness view the embedded snapshot ships (computed by ``multipolar snapshot build`` on the shared data, on
    the snapshot's own ideal points), when it is the one asked for: the same years and parameters, the default
    selections and windows, no network blocs. Returns (states, years_table, variants) with their ``attrs``, or None."""
    from .. import snapshot as SN
    try:
        man = SN.manifest()
    except Exception:                   # no snapshot shipped
        return None
    meta = man.get("robustness")
    if not meta or selections is not None or network or tuple(windows) != tuple(WINDOWS):
        return None
    attrs = meta.get("attrs", {})
    asked = {"years": f"{years[0]}:{years[1]}", "tau": tau, "draws": draws, "seed": seed, "cut": cut}
    if any(attrs.get(k) != v for k, v in asked.items()):
        return None
    frames = [SN.snapshot_table(t) for t in SNAPSHOT_TABLES]
    if any(f is None for f in frames):
        return None
    note = (f"the robustness view of the embedded snapshot (built {man.get('built', '?')} by `multipolar snapshot "
            "build` from the shared data): the warehouse holds no ideal points or UN votes of its own")
    for f in frames:
        f.attrs = {**attrs, "notes": [note] + list(attrs.get("notes", []))}
    return tuple(frames)


def _to_baseline(ip: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """Map a variant's points to the baseline year's mean and sd (over the states both hold)."""
    b = base.set_index("code")["ideal_point"]
    common = ip["code"].isin(b.index)
    x = ip.loc[common, "ideal_point"]
    mu_b, sd_b = b.loc[ip.loc[common, "code"]].mean(), b.loc[ip.loc[common, "code"]].std()
    a = sd_b / (x.std() or 1.0)
    out = ip.copy()
    out["ideal_point"] = (ip["ideal_point"] - x.mean()) * a + mu_b
    out["se"] = ip["se"] * a
    return out


def _values_f(agree: pd.DataFrame, bl: pd.Series) -> tuple[float, int, int]:
    """F = 1 - across / within of the vote agreement (pairs with enough common votes), blocs ``bl``."""
    from .fragmentation import MIN_COMMON_VOTES
    d = agree[agree["n_common"] >= MIN_COMMON_VOTES]
    ba, bb = d["code_a"].map(bl), d["code_b"].map(bl)
    poles = {"US-leaning", "China-leaning"}
    keep = ba.isin(poles) & bb.isin(poles)
    same = (ba == bb)[keep]
    x = d.loc[keep, "agree_share"]
    wi, ac = x[same].mean(), x[~same].mean()
    f = 1 - ac / wi if pd.notna(wi) and pd.notna(ac) and wi != 0 else np.nan
    return f, int(same.sum()), int((~same).sum())


def robustness(years, db=None, *, tau: float = 1 / 3, draws: int = 100, seed: int = 0, network: bool = False,
               selections=None, windows=WINDOWS, progress=None, cut: str = "side"):
    """The robustness view of ``years`` (a year or FIRST:LAST).

    Returns (states, years_table, variants): ``states`` one row per state and year (code, year,
    bloc, probability, one column per variant with its bloc, n_variants, n_changes, blocs_seen,
    share_same, depends_on_votes; with ``network``, the same for the network blocs, prefixed
    ``network_``); ``years_table`` one row per year (see the module doc); ``variants`` one row per
    year and variant: roll calls counted, states, bloc sizes, F of the values process, seconds, or
    the reason it has no estimate. ``attrs``: parameters and notes (the run, the selections' coverage).
    """
    from ..dimensions import selection as S
    from ..dimensions import values as V
    from ..errors import MissingDataError
    from ..warehouse import Warehouse
    from . import communities as B
    say = progress or (lambda m: None)
    rng = V.parse_years(years)
    if rng is None:
        from ..errors import InputError
        raise InputError("robustness: give a year or a range, e.g. 2021 or 2015:2021")
    w = Warehouse(db)
    ip = V.read_run(w)              # the warehouse's current run: the variants need the warehouse's votes anyway
    if ip is None:
        # no run in the warehouse: its ideal points are the embedded snapshot's, and so may this view be
        shipped = from_snapshot(rng, tau=tau, draws=draws, seed=seed, network=network, selections=selections,
                                windows=windows, cut=cut)
        if shipped is not None:
            return shipped
        raise MissingDataError("no ideal points: the baseline of the robustness view is the current run",
                               hint="import the UN votes and run `multipolar idealpoints`")
    run = ip.attrs.get("run") or {}
    have = sorted(set(ip["year"]))
    ys = [y for y in range(rng[0], rng[1] + 1) if y in have and {"USA", "CHN"} <= set(ip.loc[ip["year"] == y, "code"])]
    if not ys:
        raise MissingDataError(f"no ideal points of both the United States and China in {rng[0]}-{rng[1]} "
                               f"(the current run {run.get('run_id')} covers {min(have)}-{max(have)})",
                               hint="choose years the current run covers")
    say("reading votes")
    votes, rc = V.load_votes(w, f"{ys[0] - max(windows) + 1}:{ys[-1]}")
    tags = S.roll_call_tags(w, rc)
    sels = [(S.parse(s), lab) for s, lab in (selections or SELECTIONS)]
    picked = {}
    notes = list(ip.attrs.get("notes", []))
    for sel, lab in sels:
        v, _, cov = S.select(votes, rc, sel, tags=tags)
        picked[lab] = v
        picked[lab].attrs["coverage"] = cov
    sg = None
    if network:
        say("dyad measures (network blocs)")
        from . import _measures
        sg = _measures(f"{ys[0]}:{ys[-1]}", None, db, None, ["score_values", "score_institutions", "score_economy", "score_people",
                                                              "score_interaction", "closeness", "closeness_lo", "closeness_hi"])
        sg = sg[sg["code_a"] < sg["code_b"]]
    state_rows, var_rows, year_rows = [], [], []
    for y in ys:
        base_ip = ip[ip["year"] == y]
        base = B.summarise(B.ideal_point_blocs(ip, y, tau=tau, draws=draws, seed=seed, cut=cut)).set_index("code")
        cols = {"bloc": base["bloc"], "probability": base["probability"]}
        agree_all = V.vote_agreement(picked["all"][picked["all"]["year"] == y])
        f_base, _, _ = _values_f(agree_all, base["bloc"])
        nbase = None
        if network:
            nbase = _network(sg, y, None, seed)
        per_var, per_var_net, fs = {}, {}, []
        for sel, lab in sels:
            for win in windows:
                name = variant_name(lab, win)
                say(f"{y}: {name}")
                t0 = time.perf_counter()
                vi, n_rc = fit_window(picked[lab], y, win)
                row = {"year": y, "variant": name, "votes": sel.spec, "window": win, "roll_calls": n_rc}
                if vi is None:
                    row["note"] = (f"no estimate: {n_rc} roll calls of {sel.label} in {y - win + 1}-{y}" if win > 1 else
                                   f"no estimate: {n_rc} roll calls of {sel.label} in {y}") + f" (fewer than {V.MIN_ROLL_CALLS})"
                    var_rows.append(row)
                    continue
                vi = _to_baseline(vi, base_ip)
                s = B.summarise(B.ideal_point_blocs(vi, y, tau=tau, draws=draws, seed=seed, cut=cut)).set_index("code")
                per_var[name] = s["bloc"]
                win_votes = picked[lab][(picked[lab]["year"] <= y) & (picked[lab]["year"] > y - win)].assign(year=y)
                f, pw, pa = _values_f(V.vote_agreement(win_votes), s["bloc"])
                fs.append(f)
                row.update({"states": len(s), **{f"n_{b}": int((s["bloc"] == b).sum()) for b in B.IP_BLOCS},
                            "values_F": f, "pairs_within": pw, "pairs_across": pa})
                if network:
                    nb = _align(nbase, _network(sg, y, vi, seed))
                    per_var_net[name] = nb
                    row["network_blocs"] = int(nb.nunique())
                row["seconds"] = round(time.perf_counter() - t0, 2)
                var_rows.append(row)
        st = _per_state(pd.DataFrame(cols, index=base.index), per_var, "")
        if network:                    # the states of the ideal-point split (the network's graph may hold others)
            net = _per_state(pd.DataFrame({"bloc": nbase}), per_var_net, "network_")
            st = st.join(net.reindex(st.index))
        st["year"] = y
        state_rows.append(st.reset_index().rename(columns={"index": "code"}))
        vy = pd.DataFrame([r for r in var_rows if r["year"] == y])
        ok = vy[vy.get("states", pd.Series(dtype=float)).notna()] if "states" in vy else vy.iloc[0:0]
        yr = {"year": y, "states": int(len(st)), "variants": int(len(ok)), "variants_without_estimate": int(len(vy) - len(ok)),
              "changing_states": int((st["n_changes"] > 0).sum()), "depends_on_votes": int(st["depends_on_votes"].sum()),
              "values_F": f_base, "values_F_min": float(np.nanmin(fs)) if np.isfinite(fs).any() else np.nan,
              "values_F_max": float(np.nanmax(fs)) if np.isfinite(fs).any() else np.nan}
        for b in B.IP_BLOCS:
            yr[f"n_{b}"] = int((st["bloc"] == b).sum())
            if len(ok):
                yr[f"n_{b}_min"], yr[f"n_{b}_max"] = int(ok[f"n_{b}"].min()), int(ok[f"n_{b}"].max())
        if network:
            yr["network_changing_states"] = int((st["network_n_changes"] > 0).sum())
            yr["network_depends_on_votes"] = int(st["network_depends_on_votes"].sum())
        year_rows.append(yr)
    states = pd.concat(state_rows, ignore_index=True)
    lead = ["code", "year", "bloc", "probability"]
    states = states[lead + [c for c in states.columns if c not in lead]]
    params = {"years": f"{ys[0]}:{ys[-1]}", "tau": tau, "cut": cut, "draws": draws, "seed": seed, "network": network,
              "variants": ",".join(variant_name(lab, w_) for _, lab in sels for w_ in windows), "stable_share": STABLE_SHARE,
              "ideal_points_run": str(run.get("run_id", "")), "notes": notes + _coverage_notes(picked, sels, ys, windows)}
    out = (states, pd.DataFrame(year_rows), pd.DataFrame(var_rows))
    for df in out:
        df.attrs.update(params)
    return out


def _coverage_notes(picked, sels, ys, windows) -> list[str]:
    from ..dimensions import selection as S
    lo = ys[0] - max(windows) + 1
    out = []
    for sel, lab in sels:
        if lab == "all":
            continue
        cov = picked[lab].attrs["coverage"]
        cov = cov[cov["year"].between(lo, ys[-1])]
        inh, unk = int(cov["inherited"].sum()), int(cov["unknown"].sum())
        if inh or unk:
            out.append(f"{lab}: " + "; ".join(x for x in (
                f"{inh} UN Digital Library roll calls counted through their chain's tags" if inh else "",
                f"{unk} roll calls of unknown {'issue' if sel.kind == 'issue' else 'important-vote status'} left out "
                f"({S._years(cov.loc[cov['unknown'] > 0, 'year'])})" if unk else "") if x))
    return out


def _per_state(base: pd.DataFrame, per_var: dict, prefix: str) -> pd.DataFrame:
    """Baseline bloc vs the variants' blocs: the columns of the per-state table."""
    V = pd.DataFrame(per_var).reindex(base.index)
    out = base.rename(columns={c: prefix + c for c in base.columns})
    for c in V.columns:
        out[prefix + c] = V[c]
    has = V.notna()
    diff = has & V.ne(base["bloc"], axis=0)
    out[prefix + "n_variants"] = has.sum(axis=1).astype(int)
    out[prefix + "n_changes"] = diff.sum(axis=1).astype(int)
    out[prefix + "blocs_seen"] = [", ".join(sorted(set(r.dropna()) | ({b} if pd.notna(b) else set())))
                                  for (_, r), b in zip(V.iterrows(), base["bloc"])]
    share = 1 - out[prefix + "n_changes"] / out[prefix + "n_variants"].replace(0, np.nan)
    out[prefix + "share_same"] = share
    out[prefix + "depends_on_votes"] = (share < STABLE_SHARE).fillna(False)
    return out


#: bootstrap replicates per network partition in the robustness view (each bloc is the most likely over them)
NET_BOOT = 10


def _network(sg: pd.DataFrame, year: int, ip: pd.DataFrame | None, seed: int) -> pd.Series:
    """Leiden blocs of ``year`` (each state's most likely bloc over :data:`NET_BOOT` replicates), the values
    component from ``ip`` (None: as stored) and the other four components as they are."""
    from ..relations import WEIGHTS
    from . import communities as B
    g = sg[sg["year"] == year].copy()
    if ip is not None:
        t = ip.set_index("code")["ideal_point"]
        d = (g["code_a"].map(t) - g["code_b"].map(t)).abs()
        g["score_values"] = (1 - d / 2).clip(-1, 1)
        num = sum(WEIGHTS[k] * g[f"score_{k}"].fillna(0) for k in WEIGHTS)
        den = sum(WEIGHTS[k] * g[f"score_{k}"].notna() for k in WEIGHTS)
        g["closeness"] = num / den.replace(0, np.nan)
        g["closeness_lo"] = g["closeness_hi"] = g["closeness"]
    g = g[g["closeness"].notna()]
    s = B.summarise(B.network_blocs(g, year, draws=NET_BOOT, seed=seed, jobs=1))
    return s.set_index("code")["bloc"]


def _align(base: pd.Series, var: pd.Series) -> pd.Series:
    """``var``'s blocs renamed to the baseline's by member overlap (Hungarian), so that a state counts as
    changing bloc when it moves, not when a bloc is named differently; a bloc with no counterpart keeps
    its own name, prefixed "other: "."""
    from .communities import linear_sum_assignment
    common = base.index.intersection(var.index)
    ov = pd.crosstab(var[common], base[common])
    r, c = linear_sum_assignment(-ov.to_numpy())
    ren = {ov.index[i]: ov.columns[j] for i, j in zip(r, c) if ov.iat[i, j] > 0}
    return var.map(lambda b: ren.get(b, f"other: {b}"))


#: the 25 major states of the side-by-side tables: the G20's 19 states, and Iran, Egypt, Nigeria,
#: Pakistan, Poland and Israel
MAJOR_STATES = ["USA", "CHN", "RUS", "JPN", "DEU", "GBR", "FRA", "ITA", "CAN", "AUS", "KOR", "IND", "BRA", "MEX", "ARG",
                "IDN", "TUR", "SAU", "ZAF", "IRN", "EGY", "NGA", "PAK", "POL", "ISR"]
#: which network bloc corresponds to which side of the ideal-point split (for "same side?")
SIDE = {"US-leaning": "US", "Western": "US", "China-leaning": "China", "China": "China", "Russia": "China", "Soviet": "China",
        "nonaligned": "middle"}


def compare_methods(years, db=None, states=None, draws: int | None = None, seed: int = 0, tau: float = 1 / 3,
                    jobs: int | None = None, cut: str = "side") -> pd.DataFrame:
    """Both bloc methods side by side for ``states`` (default :data:`MAJOR_STATES`) in ``years``.

    One row per state and year: ``ideal_points_bloc`` and its probability (the IMF-style split of the
    current run), ``network_bloc`` and its probability (Leiden on the closeness graph), and ``agree``:
    True when the two put the state on the same side (US-leaning with Western; China-leaning with
    China, Russia or Soviet), False when they differ, missing where one method has no bloc (a
    nonaligned state has no network counterpart: it is reported as differing only from a pole's bloc)."""
    from . import blocs
    ip_s, _ = blocs(years, method="ideal-points", db=db, draws=draws, seed=seed, tau=tau, cut=cut)
    nw_s, _ = blocs(years, method="network", db=db, draws=draws, seed=seed, jobs=jobs)
    codes = states or MAJOR_STATES
    a = ip_s[ip_s["code"].isin(codes)][["code", "year", "bloc", "probability"]].rename(
        columns={"bloc": "ideal_points_bloc", "probability": "ideal_points_p"})
    b = nw_s[nw_s["code"].isin(codes)][["code", "year", "bloc", "probability"]].rename(
        columns={"bloc": "network_bloc", "probability": "network_p"})
    out = a.merge(b, on=["code", "year"], how="outer")
    sa, sb = out["ideal_points_bloc"].map(SIDE), out["network_bloc"].map(SIDE)
    out["same_side"] = pd.Series(np.where(sa.isna() | sb.isna(), None, sa == sb), index=out.index, dtype=object)
    order = {c: i for i, c in enumerate(codes)}
    out = out.sort_values(["year", "code"], key=lambda s: s.map(order) if s.name == "code" else s).reset_index(drop=True)
    out.attrs.update({"years": ip_s.attrs.get("years"), "notes": list(dict.fromkeys(ip_s.attrs.get("notes", []) + nw_s.attrs.get("notes", []))),
                      "n_boot_ideal_points": ip_s.attrs.get("draws"), "n_boot_network": nw_s.attrs.get("draws"), "tau": tau, "cut": cut})
    return out
