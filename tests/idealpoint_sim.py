"""A simulated UN General Assembly with known dynamic ideal points, shaped like the real votes.

Used by ``tests/test_idealpoints_scale.py`` (small, seeded) and ``benchmarks/idealpoints.py``
(full size). What it copies from the 1946-2019 roll calls (``multipolar idealpoints`` on the
shared data):

* **membership**: about a quarter of the states vote from the first year; the others enter in waves
  (1955-59, the decolonisation of 1960-68, the 1970s, 1990-94, a few to 2011); a few exit and have
  successors under new codes that continue their ideal point (a USSR, a Czechoslovakia, a
  Yugoslavia) or no successor (a GDR); one state stays away for twenty sessions (South Africa
  1974-93) and one for a session (Indonesia 1965);
* **roll calls per year**: about 50 until 1970, 125 in 1971-90, 85 afterwards (scaled by
  ``rc_scale``), with about half of them votes on a repeated resolution (*chains*: the same item voted
  again each session for years, sometimes skipping one); most chains keep their parameters, a share
  of them drift slowly (their cut-point walks);
* **lopsidedness**: before 1970 the minority side of a vote is 5-50% of the states; afterwards about
  45% of the votes are lopsided (a minority of under 8%) and the minority is mostly the West;
  about 85% of the votes cast after 1970 are yes; 75% of the items allow abstentions;
* **absences**: each state misses a share of the votes (participation 70-100%);
* **the truth**: blocs (West high, East low, South between), a random walk per state, the
  Eastern bloc moving up in 1989-92; then a common drift of the whole distribution (``drift``
  units from 1970 to 2020) and a spread that shrinks by the factor ``shrink`` from 1985 to 1995
  (the published estimate's spread goes from about 1.5 to 1.1-1.25).

:func:`scale_figures` measures how well an estimate keeps the scale: pooled and within-year
correlation, and after the one global affine map that the model's normalisation allows (the
estimates mapped to the truth's overall mean and sd), each decade's spread ratio (mean within-year
sd of the estimates / that of the truth) and mean error.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# (first year, last year, share of all states entering in these years)
ENTRY_WAVES = [(1947, 1950, 0.04), (1955, 1959, 0.11), (1960, 1968, 0.25), (1970, 1979, 0.12),
               (1980, 1984, 0.04), (1990, 1994, 0.08), (1999, 2011, 0.03)]
FOUNDERS = 0.25


def _rc_profile(year: int) -> float:
    return 50.0 if year <= 1970 else (125.0 if year <= 1990 else 85.0)


def simulate_un(n_states: int = 200, first_year: int = 1946, last_year: int = 2020, rc_scale: float = 1.0,
                drift: float = 1.0, shrink: float = 0.75, omega: float = 0.08, chain_start: tuple = (0.025, 0.3), bridged_from: int = 1984,
                chain_length: float = 6.0, drifting_chains: float = 0.3, east_lockstep: float = 0.9, west_lockstep: float = 0.6,
                east_center: float = -1.6, east_spread: float = 0.25, east_isolated: float = 0.12, contested_until: int = 1970,
                seed: int = 0):
    """Votes (state, year, rcid, item, vote) and the truth (state, year, true).

    ``item`` is the repeated resolution a roll call belongs to (``C<k>``) or its own (``R<rcid>``), as
    :func:`~multipolar.dimensions.idealpoints.bridge_items` gives it for the real roll calls.
    """
    rng = np.random.default_rng(seed)
    years = np.arange(first_year, last_year + 1)
    n_y = len(years)

    # -- membership ------------------------------------------------------------------------------
    n_found = int(round(FOUNDERS * n_states))
    entry, bloc = [], []                       # bloc 0 West, 1 East, 2 South (Latin America in 1946), 3 South (later)
    for k in range(n_found):
        entry.append(first_year)
        bloc.append(0 if k < 0.35 * n_found else (1 if k < 0.5 * n_found else 2))
    n_succ = 8                                  # successors, added below
    rest = n_states - n_found - n_succ
    shares = np.array([w[2] for w in ENTRY_WAVES])
    counts = np.floor(shares / shares.sum() * rest).astype(int)
    counts[2] += rest - counts.sum()
    for (a, b, _), c in zip(ENTRY_WAVES, counts):
        for _ in range(c):
            e = int(rng.integers(a, b + 1))
            entry.append(min(e, last_year))
            # the 1990s entrants are mostly Eastern Europe: West-leaning on arrival
            bloc.append(0 if (a == 1990 and rng.random() < 0.6) else 3)
    entry = np.array(entry)
    bloc = np.array(bloc)
    exit_ = np.full(len(entry), last_year)
    names = [f"S{k:03d}" for k in range(len(entry))]
    names[0] = "USA"

    # -- latent positions before the common transform -------------------------------------------
    center = np.array([1.3, east_center, 0.5, -0.4])
    spread = np.array([0.35, east_spread, 0.5, 0.6])
    inn = rng.normal(0, omega, (len(entry), n_y))
    u = np.full((len(entry), n_y), np.nan)
    for s in range(len(entry)):
        t0 = entry[s] - first_year
        u[s, t0] = rng.normal(center[bloc[s]], spread[bloc[s]])
        if s == 0:
            u[s, t0] = 2.2
        u[s, t0:] = u[s, t0] + np.cumsum(np.r_[0.0, inn[s, t0 + 1:]]) * (0.4 if s == 0 else 1.0)
        # Latin America drifts from the West towards the South over the first decades
        if bloc[s] == 2:
            u[s, t0:] -= np.clip((years[t0:] - 1955) / 30.0, 0, 1) * 0.8
    # the end of the Cold War: the Eastern bloc moves up over 1989-92
    east = np.flatnonzero(bloc == 1)
    step = np.clip((years - 1988) / 4.0, 0, 1)
    for s in east:
        u[s] += step * rng.uniform(1.2, 2.4)

    # successions: an East state exits 1990 without successor; the largest East state exits 1991
    # (one successor, plus some new states from 1991-92 near it); an East state in 1992 (two successors);
    # a South state in 1991 (four successors in 1992-93)
    def succeed(pred, year, k, jitter):
        nonlocal u, entry, exit_, bloc, names
        exit_[pred] = year - 1
        u[pred, year - first_year:] = np.nan
        for _ in range(k):
            e = int(min(year + rng.integers(0, 2), last_year))
            path = np.full(n_y, np.nan)
            base = u_full[pred, e - first_year]
            path[e - first_year:] = base + rng.normal(0, jitter) + np.cumsum(np.r_[0.0, rng.normal(0, omega, last_year - e)])
            u = np.vstack([u, path])
            entry = np.r_[entry, e]
            exit_ = np.r_[exit_, last_year]
            bloc = np.r_[bloc, bloc[pred]]
            names.append(f"S{len(names):03d}")

    u_full = u.copy()
    if len(east) >= 3:
        exit_[east[2]] = 1989
        u[east[2], 1990 - first_year:] = np.nan
        succeed(east[0], 1991, 1, 0.05)
        succeed(east[1], 1992, 2, 0.2)
    south = np.flatnonzero((bloc == 2) & (entry == first_year))
    if len(south):
        succeed(south[0], 1991, 4, 0.4)
    alive = (years[None, :] >= entry[:, None]) & (years[None, :] <= exit_[:, None])
    u[~alive] = np.nan

    # the common transform: a drift of the mean, a spread that shrinks in 1985-95
    m_t = drift * np.clip((years - 1970) / 50.0, 0, 1)
    g_t = 1.0 - (1.0 - shrink) * np.clip((years - 1985) / 10.0, 0, 1)
    theta = m_t[None, :] + g_t[None, :] * u

    # whole sessions away: one state 1974-93, one 1965 (if they are members then)
    away = np.zeros_like(alive)
    cands = np.flatnonzero(entry <= 1960)
    if len(cands) > 3:
        away[cands[3], max(1974 - first_year, 0):max(1994 - first_year, 0)] = True
        away[cands[-1], 1965 - first_year] = 1965 <= last_year
    part = rng.beta(10, 1.5, len(entry)).clip(0.7, 1.0)
    # bloc discipline (errors correlated within a bloc, which the model does not know): the Eastern
    # bloc copies its leader's vote until 1988 (the real Warsaw Pact voted identically on 77-100% of
    # the roll calls of a year), a Western group (the EU) from 1990
    leader = np.full(len(entry), -1)
    p_lock = np.zeros(len(entry))
    lock_years = np.zeros((len(entry), 2), int)
    east_all = np.flatnonzero(bloc == 1)
    if len(east_all) > 1:
        leader[east_all[1:]] = east_all[0]
        p_lock[east_all[1:]] = east_lockstep
        lock_years[east_all] = (first_year, 1988)
    west = np.flatnonzero((bloc == 0) & (np.arange(len(entry)) > 0))
    if len(west) > 1:
        leader[west[1:]] = west[0]
        p_lock[west[1:]] = west_lockstep
        lock_years[west] = (1990, last_year)

    # -- roll calls ------------------------------------------------------------------------------
    chains = []                                 # dict: kappa, beta, tau, end, drifts
    rows, rcid = [], 0
    for ti, yr in enumerate(years):
        members = np.flatnonzero(alive[:, ti] & ~away[:, ti])
        th = theta[members, ti]
        n_rc = max(int(rng.poisson(_rc_profile(yr) * rc_scale)), 3)
        items = []
        for c in chains:
            if c["end"] >= yr and rng.random() < 0.9:
                if c["drifts"]:                 # the cut-point walks by 0.03 theta units a year
                    c["alpha"] += abs(c["beta"]) * rng.normal(0, 0.03)
                items.append((c["name"], c["alpha"], c["beta"], c["tau"], 1))
        n_new = max(n_rc - len(items), int(0.2 * n_rc))
        for _ in range(n_new):
            if yr <= contested_until:
                minority, f_no, top, yes_major = rng.uniform(0.1, 0.55), rng.uniform(0.2, 0.8), rng.random() < 0.5, rng.random() < 0.7
            else:
                minority = rng.uniform(0.0, 0.06) if rng.random() < 0.4 else rng.uniform(0.06, 0.4)
                f_no, top, yes_major = rng.uniform(0.05, 0.5), rng.random() < 0.8, rng.random() < 0.92
            ordinal = rng.random() < 0.75
            if yr <= 1988 and rng.random() < east_isolated:
                # a second dimension (the UN budget, peacekeeping finance...): the Eastern bloc alone
                # votes no; the model, one-dimensional, can only read it as the bloc being extreme
                b = abs(rng.normal(2.5, 0.8)) + 0.3
                items.append((f"R{rcid + len(items)}", -b, b, rng.uniform(0.3, 1.5) if ordinal else 0.0, 2))
                continue
            # shares of the three answers, then laid out along theta: the minority at one end
            p_yes, p_no = (1 - minority, minority * f_no) if yes_major else (minority * f_no, 1 - minority)
            if not ordinal:
                p_yes, p_no = p_yes / (p_yes + p_no), p_no / (p_yes + p_no)
            yes_top = (top != yes_major)          # the minority at the top is a no when yes is the majority
            s1 = p_no if yes_top else p_yes       # share of the lowest answer
            s12 = 1 - (p_yes if yes_top else p_no)
            k1, k2 = np.quantile(th, [s1, s12])
            b = abs(rng.normal(2.5, 0.8)) + 0.3
            if yes_top:                           # y* = b (theta - k1): no below k1, yes above k2
                alpha, beta, tau = b * k1, b, b * (k2 - k1)
            else:                                 # y* = b (k2 - theta): no above k2, yes below k1
                alpha, beta, tau = -b * k2, -b, b * (k2 - k1)
            name = f"R{rcid + len(items)}"
            if rng.random() < chain_start[int(yr >= bridged_from)] and yr < last_year:
                name = f"C{len(chains)}"
                L = 1 + rng.geometric(1.0 / chain_length)
                chains.append({"name": name, "alpha": alpha, "beta": beta, "tau": tau, "end": yr + L,
                               "drifts": rng.random() < drifting_chains})
            items.append((name, alpha, beta, tau, 1))
        v2 = np.where(bloc == 1, -2.0, 0.0) + rng.normal(0, 0.15, len(entry))
        for name, alpha, beta, tau, dim in items:
            x = theta[:, ti] if dim == 1 else v2
            lead_noise = rng.normal(0, 1, len(entry))     # each leader's own draw on this roll call
            present = members[rng.random(len(members)) < part[members]]
            ys = beta * x[present] - alpha + rng.normal(0, 1, len(present))
            vote = np.where(ys < 0, 1, np.where((tau > 0) & (ys < tau), 2, 3)).astype(np.int8)
            lead = leader[present]
            follow = (lead >= 0) & (lock_years[present, 0] <= yr) & (lock_years[present, 1] >= yr) & alive[np.maximum(lead, 0), ti]
            follow &= rng.random(len(present)) < p_lock[present]
            if follow.any():
                lead_ys = beta * x[lead[follow]] - alpha + lead_noise[lead[follow]]
                vote[follow] = np.where(lead_ys < 0, 1, np.where((tau > 0) & (lead_ys < tau), 2, 3))
            rows.append(pd.DataFrame({"state": np.array(names)[present], "year": yr, "rcid": rcid, "item": name, "vote": vote}))
            rcid += 1
    votes = pd.concat(rows, ignore_index=True)
    s_idx, t_idx = np.nonzero(alive & ~away)
    truth = pd.DataFrame({"state": np.array(names)[s_idx], "year": years[t_idx], "true": theta[s_idx, t_idx]})
    truth = truth.merge(votes[["state", "year"]].drop_duplicates(), on=["state", "year"])
    return votes, truth


def scale_figures(est: pd.DataFrame, truth: pd.DataFrame, stable: list | None = None) -> dict:
    """How well ``est`` (state, year, ideal_point) keeps the scale of ``truth`` (state, year, true).

    pooled_r, within_r_median, within_r_mean, within_r_min; after mapping the estimates to the truth's overall mean and
    sd (one affine map for all years; the sign is the one of the pooled correlation), per decade (a
    last decade of one or two years joins the previous one) the
    spread ratio (mean within-year sd of the estimates / of the truth) and the mean error (mean of
    the estimates - mean of the truth, in truth units); ``spread_worst`` (the largest |ratio - 1|),
    ``mean_drift`` (the largest - the smallest decade mean error) and ``state_r_median`` (the median
    over states present 30 years or more of the correlation of a state's path with its true path).
    """
    m = est.rename(columns={"code": "state"}).merge(truth, on=["state", "year"])
    x, t = m["ideal_point"].to_numpy(float), m["true"].to_numpy(float)
    pooled = float(np.corrcoef(x, t)[0, 1])
    z = np.sign(pooled) * (x - x.mean()) / x.std() * t.std() + t.mean()
    dec = (m["year"] // 10) * 10
    n_years = m.groupby(dec)["year"].nunique()
    for d_ in n_years.index[1:]:                  # a decade of one or two years (2020) joins the previous one
        if n_years[d_] < 3:
            dec = dec.where(dec != d_, d_ - 10)
    m = m.assign(mapped=z, decade=dec)
    within = m.groupby("year")[["mapped", "true"]].apply(lambda g: np.corrcoef(g["mapped"], g["true"])[0, 1])
    per_year = m.groupby(["decade", "year"]).agg(sd_est=("mapped", "std"), sd_true=("true", "std"),
                                                  mean_est=("mapped", "mean"), mean_true=("true", "mean"))
    dec = per_year.groupby("decade").mean()
    dec["spread_ratio"] = dec["sd_est"] / dec["sd_true"]
    dec["mean_error"] = dec["mean_est"] - dec["mean_true"]
    long = m.groupby("state")["year"].transform("size") >= 30
    st = m[long].groupby("state")[["mapped", "true"]].apply(lambda g: np.corrcoef(g["mapped"], g["true"])[0, 1])
    return {"pooled_r": pooled, "within_r_median": float(within.median()), "within_r_mean": float(within.mean()), "within_r_min": float(within.min()),
            "spread_ratio": dec["spread_ratio"].round(3).to_dict(), "mean_error": dec["mean_error"].round(3).to_dict(),
            "spread_worst": float((dec["spread_ratio"] - 1).abs().max()),
            "mean_drift": float(dec["mean_error"].max() - dec["mean_error"].min()),
            "state_r_median": float(st.median()) if len(st) else float("nan"),
            "true_sd": dec["sd_true"].round(3).to_dict(), "true_mean": dec["mean_true"].round(3).to_dict()}
