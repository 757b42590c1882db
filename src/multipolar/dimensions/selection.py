"""Which UN votes are counted: every roll call, one issue area, the "important" votes, or a list.

``multipolar idealpoints --votes issue=hr``, ``mp.ideal_points(votes="important")`` and the
robustness view (:mod:`multipolar.structure.robustness`) select roll calls here, after the votes
are read (:func:`multipolar.dimensions.values.load_votes`) and before anything is fitted, so the
model sees only the votes selected and a restricted fit is its own run (its votes fingerprint and
run id differ from the full fit's).

The selections (``spec``)
-------------------------
* ``all`` (default): every roll call.
* ``issue=CODE[,CODE...]``: the roll calls tagged with any of these issue areas. The tags are
  unvotes' (Voeten et al., table ``unvotes_issues``): ``me`` Middle East (the Palestinian conflict),
  ``nu`` nuclear weapons and nuclear material, ``di`` arms control and disarmament, ``hr`` human
  rights, ``co`` colonialism, ``ec`` economic development. A roll call can carry several.
* ``important``: the roll calls the US State Department listed as important votes (unvotes'
  ``importantvote``; the list starts in 1983).
* ``rcid=FILE``: the roll calls listed in FILE (a CSV or Parquet file with a column ``rcid``, or a
  text file with one rcid per line).

Untagged is not "not this issue"
--------------------------------
A roll call can lack a tag for two different reasons, and they are kept apart:

* **unvotes' roll calls without a tag** are outside the six issue areas (unvotes tags every roll
  call it holds; a third carry none). They are left out of an issue selection *as not this issue*.
* **the UN Digital Library's roll calls** (2020-2021 in the shared data, ``source = 'undl'``) have
  no tags at all: nobody has classified them. Their issue is *unknown*. By default they inherit the
  tags of the repeated resolution they belong to (:func:`~multipolar.dimensions.idealpoints.bridge_items`
  links a resolution voted on again in a later session into one chain): a Library roll call gets
  every tag that at least half of its chain's tagged unvotes roll calls carry (the same resolution,
  voted on before, was classified so). A Library roll call outside a tagged chain stays *unknown* and
  is left out of every issue selection, and counted. ``issue=hr:published`` uses the published tags
  only (no inheritance): the Library's years then have no roll call in any issue area.
  The State Department's important votes are known only where unvotes gives the flag (1983-2017; 605
  roll calls, all of 2018-2019 among them, carry none): an unflagged roll call is of unknown
  importance, left out of ``important`` and counted.

:func:`select` returns the votes kept and a coverage table per year: roll calls in all, selected,
selected by an inherited tag, and of unknown issue (the Library's roll calls no tag reached), so a
year with few or no selected roll calls says why. A year below the minimum number of roll calls
(:data:`~multipolar.dimensions.values.MIN_ROLL_CALLS`) after the selection gets no estimate.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

#: unvotes' issue codes and names (``unvotes_issues.short_name`` -> ``issue``)
ISSUES = {"me": "Middle East (Palestinian conflict)", "nu": "nuclear weapons and nuclear material",
          "di": "arms control and disarmament", "hr": "human rights", "co": "colonialism", "ec": "economic development"}
#: a Library roll call inherits a tag carried by at least this share of its chain's tagged roll calls
INHERIT_SHARE = 0.5


@dataclass(frozen=True)
class Selection:
    """A parsed ``--votes`` spec: ``kind`` all | issue | important | rcid."""
    kind: str
    issues: tuple[str, ...] = ()
    inherit: bool = True
    rcids: frozenset | None = None
    path: str | None = None

    @property
    def spec(self) -> str:
        """The canonical text (stored in the run's parameters)."""
        if self.kind == "issue":
            return "issue=" + ",".join(self.issues) + ("" if self.inherit else ":published")
        if self.kind == "rcid":
            import hashlib
            h = hashlib.sha256(",".join(str(r) for r in sorted(self.rcids)).encode()).hexdigest()[:8]
            return f"rcid={Path(self.path).name}#{h}"
        return self.kind

    @property
    def label(self) -> str:
        """In words, for tables and notes."""
        if self.kind == "issue":
            return " or ".join(ISSUES[i] for i in self.issues) + ("" if self.inherit else " (published tags only)")
        if self.kind == "important":
            return "the State Department's important votes"
        if self.kind == "rcid":
            return f"the {len(self.rcids):,} roll calls listed in {Path(self.path).name}"
        return "every roll call"


def parse(spec) -> Selection:
    """``None``/``all`` | ``issue=hr`` | ``issue=hr,me`` | ``issue=hr:published`` | ``important`` | ``rcid=FILE``."""
    if isinstance(spec, Selection):
        return spec
    s = "all" if spec is None else str(spec).strip()
    if s in ("", "all"):
        return Selection("all")
    if s in ("important", "importantvote"):
        return Selection("important")
    key, _, val = s.partition("=")
    key = key.strip().lower()
    if key == "issue" and val:
        inherit = True
        if val.endswith(":published"):
            val, inherit = val[: -len(":published")], False
        codes = tuple(dict.fromkeys(c.strip().lower() for c in val.split(",") if c.strip()))
        bad = [c for c in codes if c not in ISSUES]
        if bad or not codes:
            raise InputError(f"--votes {s}: unknown issue area {', '.join(bad) or '(none given)'}",
                             expected="issue=" + " | issue=".join(ISSUES) + " (several: issue=hr,me)",
                             hint="; ".join(f"{k}: {v}" for k, v in ISSUES.items()))
        return Selection("issue", tuple(sorted(codes)), inherit)
    if key == "rcid" and val:
        return Selection("rcid", rcids=frozenset(_read_rcids(Path(val))), path=val)
    raise InputError(f"--votes {s!r}: not a selection of roll calls",
                     expected="all | issue=CODE[,CODE] (" + ", ".join(ISSUES) + ") | important | rcid=FILE",
                     hint="e.g. --votes issue=hr or --votes important")


def _read_rcids(p: Path) -> list[int]:
    if not p.exists():
        raise InputError(f"--votes rcid={p}: no such file", hint="give a CSV/Parquet file with a column rcid, or one rcid per line")
    if p.suffix == ".parquet":
        df = pd.read_parquet(p)
    else:
        head = p.read_text(errors="replace").splitlines()[:1]
        df = pd.read_csv(p) if head and "rcid" in head[0].lower() else pd.read_csv(p, header=None, names=["rcid"])
    df.columns = [str(c).lower() for c in df.columns]
    if "rcid" not in df:
        raise InputError(f"{p}: no column rcid", expected="a column named rcid (the roll-call ids of `un_roll_calls`)")
    v = pd.to_numeric(df["rcid"], errors="coerce")
    bad = v.isna() & df["rcid"].notna()
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError(f"{p}, line {line}: rcid {df['rcid'][bad].iloc[0]!r} is not a number", expected="integer roll-call ids")
    return sorted(int(x) for x in v.dropna().unique())


def roll_call_tags(wh, rc: pd.DataFrame) -> pd.DataFrame:
    """Per roll call of ``rc`` (with its bridged ``item``): ``source`` (unvotes | undl), ``issues``
    (comma-separated codes, "" for none), ``tags`` (published | inherited | none | unknown) and
    ``important`` (1.0, 0.0 or missing where not known)."""
    rc_table = "un_roll_calls" if wh.has("un_roll_calls") else "unvotes_roll_calls"
    cols = wh.query(f"SELECT * FROM {rc_table} LIMIT 0").columns
    src = "source" if "source" in cols else "'unvotes' AS source"
    # the chains are made over every roll call held, whatever years were read: a 2021 roll call
    # inherits from the same resolution's earlier sessions even when only 2019-2021 were read
    from .idealpoints import bridge_items
    every = wh.query(f"SELECT rcid, session, year, {src}, importantvote, unres, amend, para, short, descr FROM {rc_table}")
    every["item"] = bridge_items(every).to_numpy()
    out = _tags(wh, every)
    return rc[["rcid"]].merge(out, on="rcid", how="left")


def _tags(wh, meta: pd.DataFrame) -> pd.DataFrame:
    out = meta[["rcid", "year", "item", "source", "importantvote"]].copy()
    out["source"] = out["source"].fillna("unvotes")
    tags = wh.query("SELECT rcid, short_name FROM unvotes_issues") if wh.has("unvotes_issues") else \
        pd.DataFrame(columns=["rcid", "short_name"])
    per = tags.groupby("rcid")["short_name"].agg(lambda s: ",".join(sorted(set(s)))) if len(tags) else pd.Series(dtype=str)
    out["issues"] = out["rcid"].map(per).fillna("")
    published = out["source"] != "undl"
    out["tags"] = np.where(published, np.where(out["issues"] != "", "published", "none"), "unknown")
    # inheritance: a chain's tags, carried by at least INHERIT_SHARE of its tagged (published) roll calls
    tagged = out[published & (out["issues"] != "") & out["item"].str.startswith("B")]
    if len(tagged):
        long = tagged.assign(code=tagged["issues"].str.split(",")).explode("code")
        counts = long.groupby(["item", "code"]).size()
        n_tagged = tagged.groupby("item").size()
        share = counts / n_tagged.reindex(counts.index.get_level_values("item")).to_numpy()
        keep = share[share >= INHERIT_SHARE].reset_index()
        chain = keep.groupby("item")["code"].agg(lambda s: ",".join(sorted(s)))
        inh = (~published) & out["item"].isin(chain.index)
        out.loc[inh, "issues"] = out.loc[inh, "item"].map(chain)
        out.loc[inh, "tags"] = "inherited"
    out["important"] = pd.to_numeric(out["importantvote"], errors="coerce")
    return out.drop(columns=["importantvote"])


def select(votes: pd.DataFrame, rc: pd.DataFrame, selection, wh=None, tags: pd.DataFrame | None = None):
    """The votes and roll calls of ``selection`` and the coverage per year.

    Returns (votes, rc, coverage): coverage has one row per year of ``rc``: roll_calls (all),
    selected, inherited (selected through an inherited tag), unknown (roll calls whose issue, or
    important-vote status, is not known: never counted as "not this issue"), and ``note``."""
    sel = parse(selection)
    if sel.kind == "all":
        cov = rc.groupby("year").size().rename("roll_calls").to_frame()
        cov["selected"], cov["inherited"], cov["unknown"] = cov["roll_calls"], 0, 0
        return votes, rc, cov.reset_index().assign(note="")
    if sel.kind == "rcid":
        keep = rc["rcid"].isin(sel.rcids).to_numpy()
        unknown = np.zeros(len(rc), bool)
        inherited = np.zeros(len(rc), bool)
        missing = sel.rcids - set(rc["rcid"])
        if not keep.any():
            raise InputError(f"--votes {sel.spec}: none of the {len(sel.rcids):,} roll calls listed is among the votes read",
                             hint="the ids are the rcid of `un_roll_calls` (unvotes' rcid; the Library's are 100,000,000 + its id)")
    else:
        t = tags if tags is not None else roll_call_tags(wh, rc)
        t = rc[["rcid"]].merge(t, on="rcid", how="left")
        if sel.kind == "issue":
            codes = t["issues"].fillna("").str.split(",")
            use = t["tags"].isin(["published", "inherited"] if sel.inherit else ["published"])
            hit = np.array([bool(set(c) & set(sel.issues)) for c in codes]) & use.to_numpy()
            keep = hit
            inherited = hit & (t["tags"] == "inherited").to_numpy()
            unknown = (t["tags"] == "unknown").to_numpy() & ~hit
        else:       # important
            keep = (t["important"] == 1).to_numpy()
            inherited = np.zeros(len(rc), bool)
            unknown = t["important"].isna().to_numpy()
        missing = set()
    rc = rc.assign(_keep=keep, _inh=inherited, _unk=unknown)
    cov = rc.groupby("year").agg(roll_calls=("rcid", "size"), selected=("_keep", "sum"), inherited=("_inh", "sum"),
                                 unknown=("_unk", "sum")).reset_index()
    cov["note"] = ""
    what = "issue" if sel.kind == "issue" else ("important-vote status" if sel.kind == "important" else "")
    if what:
        m = cov["unknown"] > 0
        cov.loc[m, "note"] = cov.loc[m, "unknown"].astype(int).astype(str) + f" roll calls of unknown {what} left out"
    if missing:
        cov.attrs["not_found"] = sorted(missing)
    kept_rc = rc[rc["_keep"]].drop(columns=["_keep", "_inh", "_unk"]).reset_index(drop=True)
    kept = votes[votes["rcid"].isin(kept_rc["rcid"])].reset_index(drop=True)
    return kept, kept_rc, cov


def describe(cov: pd.DataFrame, sel) -> list[str]:
    """Notes on a selection's coverage: how many roll calls, the years of unknown issue."""
    sel = parse(sel)
    if sel.kind == "all":
        return []
    out = [f"votes: {sel.label} ({sel.spec}): {int(cov['selected'].sum()):,} of {int(cov['roll_calls'].sum()):,} roll calls"]
    if cov["inherited"].sum():
        yrs = cov.loc[cov["inherited"] > 0, "year"]
        out.append(f"{int(cov['inherited'].sum())} of them ({int(yrs.min())}-{int(yrs.max())}) are UN Digital Library roll calls "
                   f"that inherit the issue tags of the repeated resolution they belong to (unvotes tags no roll call after 2019)")
    unk = cov[cov["unknown"] > 0]
    if len(unk):
        what = "issue" if sel.kind == "issue" else "important-vote status"
        out.append(f"{int(unk['unknown'].sum()):,} roll calls of unknown {what} are left out, not counted as outside the selection "
                   f"({_years(unk['year'])}: " + ("UN Digital Library roll calls no tag reached" if sel.kind == "issue"
                                                  else "the State Department's list is known only where unvotes gives it") + ")")
    if cov.attrs.get("not_found"):
        nf = cov.attrs["not_found"]
        out.append(f"{len(nf)} listed roll calls are not among the votes read (e.g. {', '.join(map(str, nf[:3]))})")
    return out


def _years(ys) -> str:
    ys = sorted(int(y) for y in ys)
    runs, cur = [], [ys[0]]
    for y in ys[1:]:
        if y == cur[-1] + 1:
            cur.append(y)
        else:
            runs.append(cur)
            cur = [y]
    runs.append(cur)
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
