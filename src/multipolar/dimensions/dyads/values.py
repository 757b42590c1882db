"""Shared values: UN General Assembly votes (ideal points and vote agreement).

A state-year has an ideal point only where the UN votes of that year support one (at least
:data:`~multipolar.dimensions.values.MIN_ROLL_CALLS` recorded roll calls; see
:func:`~multipolar.dimensions.values.estimate`); vote agreement likewise. Nothing is filled:
a pair-year without both ideal points has no distance.
"""
from __future__ import annotations

from ..values import describe_run
from .frame import Frame, declare

SOURCE = "UN General Assembly votes (Voeten et al.), multipolar dynamic ordinal ideal points"


def ip_distance_sql(a: str = "ipa", b: str = "ipb", z: float = 1.6449) -> dict[str, str]:
    """SQL for the ideal-point distance of A and B, from their state-year rows ``a`` and ``b``
    (columns ideal_point, se): the one formula, used by the dyads, the snapshot (which recomputes the
    distance on reading) and :func:`multipolar.dimensions.values.ideal_point_distance`.

    d = theta_a - theta_b is taken as normal with sd s = sqrt(se_a^2 + se_b^2) (the Laplace
    approximation treats states as independent given the item parameters). ``ip_distance`` = |d|,
    ``ip_distance_se`` = s, and [``ip_distance_lo``, ``ip_distance_hi``] is the interval d +- z s
    (z = 1.6449: 90%) folded at 0: [0, |d| + z s] when it contains 0, else [|d| - z s, |d| + z s]."""
    diff = f"({a}.ideal_point - {b}.ideal_point)"
    sd = f"sqrt({a}.se * {a}.se + {b}.se * {b}.se)"
    return {"ip_distance": f"abs({diff})", "ip_distance_se": sd,
            "ip_distance_lo": f"CASE WHEN {diff} - {z} * {sd} < 0 AND {diff} + {z} * {sd} > 0 THEN 0.0 "
                              f"ELSE abs({diff}) - {z} * {sd} END",
            "ip_distance_hi": f"abs({diff}) + {z} * {sd}"}


def current_run(d: Frame) -> dict | None:
    """The warehouse's current ideal-point run (run_id, years, created, current), read through the frame's attachment."""
    if not d.has("ideal_points_runs"):
        return None
    cols = {r[0] for r in d._x("SELECT column_name FROM information_schema.columns WHERE table_catalog = 'w' "
                               "AND table_name = 'ideal_points_runs'")}
    if "run_id" in cols:
        rows = d._x(f"SELECT run_id, years, created FROM {d.t('ideal_points_runs')} WHERE current LIMIT 1")
    else:       # written before runs were kept: its one run
        rows = d._x(f"SELECT NULL, years, created FROM {d.t('ideal_points_runs')} LIMIT 1")
    return dict(zip(("run_id", "years", "created"), rows[0]), current=True) if rows else None


def add(d: Frame):
    """``ideal_point_a``, ``ideal_point_b``; ``ip_distance`` = |theta_a - theta_b| with ``ip_distance_se``
    and the 90% interval ``ip_distance_lo``/``_hi``; ``votes_common_n``, ``vote_agree_share``,
    ``vote_kappa``, ``vote_scott_pi`` over the roll calls both voted on."""
    cov = "state-years with ideal points (years with enough recorded roll calls); never filled"
    if d.has("ideal_points"):
        ip_sql = d.t("ideal_points")          # the current run's rows (a view since every run is kept)
        run = current_run(d)
        basis = f"the warehouse, run {run['run_id']}" if run else "the warehouse"
        d.notes.append("values: " + describe_run(run, "the warehouse").replace("ideal points: ", "ideal points and vote agreement of "))
    else:
        from ...snapshot import snapshot_table
        snap = snapshot_table("ideal_points")
        ip_sql = None
        if snap is not None:
            d.register("_ip", snap)
            ip_sql = "_ip"
            basis = "the embedded snapshot"
            from ...snapshot import manifest
            try:
                man = manifest()
                run = dict(man.get("ideal_points_run") or {}, current=True)
                run.setdefault("run_id", "snapshot")
                built = man.get("built")
            except Exception:           # a snapshot without its manifest: say only where the points come from
                run, built = {"run_id": "snapshot", "current": True}, None
            d.notes.append("values: " + describe_run(run, f"the embedded snapshot (built {built})").replace("ideal points: ", "ideal points of ")
                           + "; run `multipolar idealpoints` to fit on the warehouse")
    cols = declare("values", SOURCE, cov, {"ideal_point_a": "ideal point of A (sd-1 scale, US high)", "ideal_point_b": "ideal point of B",
                                           "ip_distance": "|ideal point A - ideal point B|", "ip_distance_se": "sd of the distance (Laplace)",
                                           "ip_distance_lo": "90% interval, low", "ip_distance_hi": "90% interval, high"})
    if not d.lacks("ideal_points", "values", cols, have=ip_sql is not None):
        d.state_year("ipsy", f"SELECT code, CAST(year AS INTEGER) AS year, ideal_point, se FROM {ip_sql}")
        yrs = d._x("SELECT min(year), max(year) FROM ipsy")[0]
        d.record("ideal_points", f"{SOURCE} ({basis})", yrs, cov, cols)
        d.exprs(cols, {"ideal_point_a": "ipa.ideal_point", "ideal_point_b": "ipb.ideal_point", **ip_distance_sql()},
                ["LEFT JOIN ipsy ipa ON ipa._ks = d._ka", "LEFT JOIN ipsy ipb ON ipb._ks = d._kb"])
    cov = "pair-years in which both states voted on a common roll call; never filled"
    cols = {"votes_common_n": ("values", "roll calls both voted on (count)", SOURCE, cov),
            "vote_agree_share": ("values", "share of identical votes (0-1)", SOURCE, cov),
            "vote_kappa": ("values", "Cohen's kappa of the votes (-1 to 1)", SOURCE, cov),
            "vote_scott_pi": ("values", "Scott's pi of the votes (-1 to 1)", SOURCE, cov)}
    if not d.lacks("vote_agreement", "values (run `multipolar idealpoints`)", cols):
        t = d.t("vote_agreement")
        d.pairs(f"""SELECT code_a, code_b, CAST(year AS INTEGER) AS year, n_common AS votes_common_n, agree_share AS vote_agree_share,
                           kappa AS vote_kappa, scott_pi AS vote_scott_pi FROM {t}
                    UNION ALL
                    SELECT code_b, code_a, CAST(year AS INTEGER), n_common, agree_share, kappa, scott_pi FROM {t}""", cols)
        d.record("vote_agreement", SOURCE, d.span("vote_agreement"), cov, cols)
