"""UN General Assembly roll-call votes (Voeten; the R package unvotes).

Layouts recognised
------------------
* ``votes``: rcid, country, country_code (ISO2), vote (yes/no/abstain) — un_votes.csv / .rda
* ``roll_calls``: rcid, session, importantvote, date, unres, amend, para, short, descr
* ``issues``: rcid, short_name, issue
* ``voeten``: Voeten's original UNVotesPublished.RData (rcid, session, vote 1-9, ccode, ...)
* ``single_vote``: a one-resolution table (states, vote, iso_code), e.g. ES-11/1 of 2 March 2022

Quirks handled (documented, never guessed): ISO2 ``NA`` is Namibia, so the file is read with
no missing-value strings; rows with an empty code (Federal Republic of Germany, Yemen Arab
Republic, Zanzibar) are resolved from the name; ``RU`` before 26 Dec 1991 is the USSR (unvotes codes the Soviet Union RU throughout);
``YU`` after 4 Jun 2006 is Serbia, between 1992 and 2006 Serbia and Montenegro;
``TW`` before 8 Dec 1949 is China (the Republic of China then held COW 710).

A vote dated up to two years before the registry's first day for its code is attributed to that
state and flagged ``before_state_start``: the UN admitted India, the Philippines, Lebanon and
Syria before COW lists them as states, and unvotes dates some roll calls by the first day of
their session (Comoros, Qatar, Fiji...).

The normalised table ``un_votes`` (rcid, date, year, session, code, vote, vote_ordinal, country,
country_code, before_state_start) is derived inside the warehouse whenever votes and roll calls are
both present, so the two files can be imported in either order. It continues with the UN Digital
Library's voting records (reader ``undl``, :mod:`multipolar.sources.undl`): their roll calls that
unvotes does not hold are added with rcid ``100_000_000 + undl_id`` (:func:`build_un_votes`), and
``un_roll_calls`` lists the roll calls of both sources (the Library's with their symbol and title).
"""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from ..actors.registry import registry
from ..errors import InputError, show
from .base import FileHead, Parsed, Reader, check_duplicates, check_years, load_rda, read_csv, to_numeric

VOTES = {"rcid", "country", "country_code", "vote"}
ROLL_CALLS = {"rcid", "session", "importantvote", "date", "unres", "amend", "para", "short", "descr"}
ISSUES = {"rcid", "short_name", "issue"}
VOETEN = {"rcid", "session", "vote", "ccode", "member", "date", "unres"}
SINGLE = {"states", "vote", "iso_code"}
VOTE_VALUES = {"yes", "no", "abstain"}
#: synthetic rcids for single-vote files, above any rcid in the Voeten data
SINGLE_VOTE_RCID = {"ES-11/1": 990001}


class UNVotes(Reader):
    """The UN General Assembly votes of Voeten's data and the unvotes package: votes, roll calls, issues and
    single votes."""
    name = "unvotes"
    title = "UN General Assembly votes (Voeten / unvotes)"
    citation = ("Voeten, E., Strezhnev, A., Bailey, M. (2009). United Nations General Assembly Voting Data. "
                "Harvard Dataverse, hdl:1902.1/12379; Robinson, D. unvotes R package.")
    license = "CC0 (data); MIT (package)"
    signatures = {"votes": VOTES, "roll_calls": ROLL_CALLS, "issues": ISSUES, "single_vote": SINGLE}
    keys = {"unvotes_votes": ["rcid", "country_code", "country"], "unvotes_roll_calls": ["rcid"],
            "unvotes_issues": ["rcid", "short_name"]}

    def sniff(self, head: FileHead):
        cols = set(head.columns)
        for obj_cols in ([cols] + [set(c) for c in head.objects.values()]):
            if VOTES <= obj_cols and len(obj_cols) <= 6:
                return "votes"
            if ROLL_CALLS <= obj_cols:
                return "roll_calls"
            if obj_cols == ISSUES or (ISSUES <= obj_cols and len(obj_cols) == 3):
                return "issues"
            if VOETEN <= obj_cols:
                return "voeten"
            if SINGLE <= obj_cols:
                return "single_vote"
        return None

    def read(self, path, layout, head):
        if head.kind == "rda":
            objs = load_rda(path)
            df = next(v for v in objs.values())
        elif head.kind == "parquet":
            df = pd.read_parquet(path)
        elif head.kind == "xls":
            df = pd.read_excel(path)
        else:
            # ISO2 'NA' is Namibia: no default NA strings
            df = read_csv(path, keep_default_na=False, na_values=[""], dtype=str)
        return getattr(self, f"_{layout}")(path, df)

    def _votes(self, path, df):
        df = df.copy()
        for c in ("country", "country_code", "vote"):
            df[c] = df[c].astype("string")
        df["country_code"] = df["country_code"].fillna("").str.strip()
        df["rcid"] = to_numeric(df, "rcid", path, integer=True, allow_na=False)
        v = df["vote"].str.strip().str.lower()
        bad = ~v.isin(VOTE_VALUES)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(f"unknown vote {show(df['vote'].iloc[i])}", file=str(path), line=i + 2, field="vote",
                             expected="yes, no or abstain (absences are not rows)", hint="use the unvotes file as published")
        df["vote"] = v
        _check_vote_countries(df, path)
        check_duplicates(df, ["rcid", "country"], path, what="vote")
        out = df[["rcid", "country", "country_code", "vote"]].astype({"rcid": "int64"})
        # the file has no session or release field: say what it holds
        version = f"unvotes votes, roll calls {int(out['rcid'].min())}-{int(out['rcid'].max())}" if len(out) else "unvotes votes"
        return Parsed({"unvotes_votes": out}, rows_read=len(df), version=version, partitions={"unvotes_votes": ["rcid"]})

    def _roll_calls(self, path, df):
        df = df.copy()
        df["rcid"] = to_numeric(df, "rcid", path, integer=True, allow_na=False).astype("int64")
        df["session"] = to_numeric(df, "session", path).astype("float64")
        d = pd.to_datetime(df["date"], errors="coerce", format="ISO8601" if df["date"].dtype == object else None)
        if d.isna().any():
            i = int(d.isna().to_numpy().nonzero()[0][0])
            raise InputError(f"not a date: {show(df['date'].iloc[i])}", file=str(path), line=i + 2, field="date", expected="YYYY-MM-DD")
        df["date"] = d.dt.date.astype(str)
        df["year"] = d.dt.year.astype("int64")
        check_years(df["year"], path, lo=1945)
        check_duplicates(df, ["rcid"], path, what="roll call")
        for c in ("importantvote", "amend", "para"):
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")     # one type whichever the format
        for c in ("unres", "short", "descr"):
            # an empty text is missing: the CSV conversion writes R's "" and NA alike as an empty field
            df[c] = df[c].astype("string").replace("", pd.NA)
        cols = ["rcid", "session", "year", "date", "importantvote", "unres", "amend", "para", "short", "descr"]
        return Parsed({"unvotes_roll_calls": df[cols]}, rows_read=len(df), version=f"roll calls to {df['date'].max()}", partitions={"unvotes_roll_calls": ["rcid"]})

    def _issues(self, path, df):
        df = df.copy()
        df["rcid"] = to_numeric(df, "rcid", path, integer=True, allow_na=False).astype("int64")
        df["short_name"] = df["short_name"].astype("string")
        df["issue"] = df["issue"].astype("string")
        check_duplicates(df, ["rcid", "short_name"], path, what="issue tag")
        return Parsed({"unvotes_issues": df[["rcid", "short_name", "issue"]]}, rows_read=len(df), version="unvotes", partitions={"unvotes_issues": ["rcid"]})

    def _voeten(self, path, df):
        """Voeten's original file: votes coded 1 yes, 2 abstain, 3 no, 8 absent, 9 not a member."""
        rej = Counter()
        df = df.copy()
        rows = len(df)
        keep = df["vote"].isin([1, 2, 3])
        rej["absent or not a member (vote 8/9)"] += int((~keep).sum())
        df = df[keep]
        d = pd.to_datetime(df["date"], errors="coerce")
        df["date"] = d.dt.date.astype(str)
        from .base import map_countries
        df = map_countries(df, "ccode", system="cow", date="date", path=path, rejected=rej, strict=True)
        df["vote"] = df["vote"].map({1: "yes", 2: "abstain", 3: "no"})
        votes = df[["rcid", "date", "session", "code", "vote"]].rename(columns={"code": "code"})
        votes["rcid"] = votes["rcid"].astype("int64")
        sess = pd.to_numeric(votes["session"], errors="coerce").dropna()
        span = f"sessions {int(sess.min())}-{int(sess.max())}" if len(sess) else "no session numbers"
        return Parsed({"voeten_votes": votes}, rows_read=rows, rejected=rej, version=f"Voeten UNVotesPublished ({span})",
                      notes=[f"kept apart from unvotes tables: another release ({span})"])

    def _single_vote(self, path, df):
        df = df.copy()
        df["states"] = df["states"].astype(str).str.strip()
        m = re.search(r"es[-_]?(\d+)[-_/](\d+)", path.name.lower())
        resolution = f"ES-{m.group(1)}/{m.group(2)}" if m else None
        if resolution not in SINGLE_VOTE_RCID:
            raise InputError("cannot tell which resolution this single-vote table records", file=str(path),
                             expected="a file named after its resolution, e.g. ..._es11-1_...csv (known: " + ", ".join(SINGLE_VOTE_RCID) + ")",
                             hint="rename the file after the resolution it records")
        vm = {"approve": "yes", "yes": "yes", "in favour": "yes", "against": "no", "no": "no", "abstain": "abstain", "absent": None}
        v = df["vote"].astype(str).str.strip().str.lower()
        bad = ~v.isin(vm)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(f"unknown vote {show(df['vote'].iloc[i])}", file=str(path), line=i + 2, field="vote", expected="Approve/Against/Abstain/Absent")
        df["vote"] = v.map(vm)
        rej = Counter({"absent": int(df["vote"].isna().sum())})
        df = df[df["vote"].notna()]
        df["year"] = 2022
        from .base import map_countries
        df = map_countries(df, "iso_code", system="iso3", year="year", path=path, rejected=rej)
        rcid = SINGLE_VOTE_RCID[resolution]
        votes = pd.DataFrame({"rcid": rcid, "country": df["states"], "country_code": [registry().get(c).iso2 for c in df["code"]], "vote": df["vote"]})
        # session: the regular session the vote fell in, as unvotes gives it for emergency special sessions
        # (ESS/1 of November 1956 is session 11): ES-11 met during the 76th session
        rc = pd.DataFrame([{"rcid": rcid, "session": 76.0, "year": 2022, "date": "2022-03-02", "importantvote": 1.0,
                            "unres": "A/RES/ES-11/1", "amend": 0.0, "para": 0.0, "short": "AGGRESSION AGAINST UKRAINE",
                            "descr": "Eleventh emergency special session: aggression against Ukraine (single-vote table)"}])
        return Parsed({"unvotes_votes": votes.astype({"rcid": "int64"}), "unvotes_roll_calls": rc}, rows_read=len(df) + int(rej["absent"]), rejected=rej,
                      partitions={"unvotes_votes": ["rcid"], "unvotes_roll_calls": ["rcid"]}, version=f"UN record {resolution}")

    def derive(self, con, changed=None) -> None:
        """(Re)build ``un_votes`` (and ``un_roll_calls``) when votes and roll calls are present: :func:`build_un_votes`."""
        if changed is not None and not ({"unvotes_votes", "unvotes_roll_calls"} & set(changed)):
            return      # only the issue tags changed
        build_un_votes(con)


#: columns of the derived tables (also their types when a warehouse holds only the Library's votes)
UN_VOTES_SCHEMA = [("rcid", "BIGINT"), ("date", "VARCHAR"), ("year", "BIGINT"), ("session", "DOUBLE"), ("code", "VARCHAR"),
                   ("vote", "VARCHAR"), ("vote_ordinal", "INTEGER"), ("country", "VARCHAR"), ("country_code", "VARCHAR"),
                   ("before_state_start", "BOOLEAN")]
UN_ROLL_CALLS_SCHEMA = [("rcid", "BIGINT"), ("session", "DOUBLE"), ("year", "BIGINT"), ("date", "VARCHAR"), ("importantvote", "DOUBLE"),
                        ("unres", "VARCHAR"), ("amend", "DOUBLE"), ("para", "DOUBLE"), ("short", "VARCHAR"), ("descr", "VARCHAR"),
                        ("source", "VARCHAR"), ("undl_id", "BIGINT")]


def build_un_votes(con) -> None:
    """(Re)build the derived vote tables from whatever the warehouse holds, so that importing the
    files in any order gives the same tables:

    * ``un_votes`` (rcid, date, year, session, code, vote, vote_ordinal, country, country_code,
      before_state_start): unvotes' votes (when ``unvotes_votes`` and ``unvotes_roll_calls`` are both
      present, coded as described in the module docstring), plus the votes of the UN Digital Library's
      **new** roll calls (``undl_votes``; rcid ``UNDL_RCID_BASE + undl_id``; ``country`` is the
      Library's name, ``country_code`` its ms_code where the file has one);
    * ``un_roll_calls`` (unvotes_roll_calls' columns, plus ``source`` 'unvotes' / 'undl' and the
      Library's ``undl_id``, also on the unvotes roll calls it matched): the Library's new roll calls
      carry their resolution symbol in ``unres`` and their title in ``short`` and ``descr``;
    * ``undl_matches``: each Library roll call matched, new or left out, and why
      (:func:`multipolar.sources.undl.match_roll_calls`).
    """
    tabs = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    have_uv = {"unvotes_votes", "unvotes_roll_calls"} <= tabs
    have_lib = {"undl_roll_calls", "undl_votes"} <= tabs
    if not (have_uv or have_lib):
        return
    if have_uv:
        _build_unvotes_part(con)
        con.execute("""CREATE OR REPLACE TABLE un_roll_calls AS
                       SELECT rcid, session, year, date, importantvote, unres, amend, para, short, descr,
                              'unvotes' AS source, CAST(NULL AS BIGINT) AS undl_id
                       FROM unvotes_roll_calls""")
    else:
        con.execute("CREATE OR REPLACE TABLE un_votes (" + ", ".join(f'"{c}" {t}' for c, t in UN_VOTES_SCHEMA) + ")")
        con.execute("CREATE OR REPLACE TABLE un_roll_calls (" + ", ".join(f'"{c}" {t}' for c, t in UN_ROLL_CALLS_SCHEMA) + ")")
    if not have_lib:
        return
    from .undl import match_roll_calls
    m = match_roll_calls(con, with_unvotes=have_uv)
    con.register("_undl_m", m)
    con.execute("CREATE OR REPLACE TABLE undl_matches AS SELECT * FROM _undl_m")
    con.unregister("_undl_m")
    con.execute("""
        INSERT INTO un_votes
        SELECT m.rcid, r.date, r.year, r.session, v.code, v.vote,
               CASE v.vote WHEN 'yes' THEN 3 WHEN 'abstain' THEN 2 WHEN 'no' THEN 1 END,
               v.country, v.ms_code, FALSE
        FROM undl_votes v JOIN undl_roll_calls r USING (undl_id) JOIN undl_matches m USING (undl_id)
        WHERE m.status = 'new'""")
    con.execute("""
        INSERT INTO un_roll_calls
        SELECT m.rcid, r.session, r.year, r.date, NULL, r.resolution, 0, 0, r.title, r.title, 'undl', r.undl_id
        FROM undl_roll_calls r JOIN undl_matches m USING (undl_id)
        WHERE m.status = 'new'""")
    con.execute("""UPDATE un_roll_calls SET undl_id = m.undl_id FROM undl_matches m
                   WHERE m.status = 'matched' AND un_roll_calls.rcid = m.rcid AND un_roll_calls.source = 'unvotes'""")


def _build_unvotes_part(con) -> None:
    """``un_votes`` from unvotes' votes and roll calls (the documented quirks of its coding)."""
    reg = registry()
    x = reg.crosswalk("iso2")
    # documented quirks of the unvotes coding (see module docstring)
    extra = pd.DataFrame([("YU", "2006-06-05", "9999-12-31", "SRB"), ("TW", "1945-01-01", "1949-12-07", "CHN"),
                          ("RU", "1945-01-01", "1991-12-25", "SUN"), ("YU", "1992-04-28", "2006-06-04", "SCG")],
                         columns=["key", "start", "end", "code"])
    x = pd.concat([x[~((x.key == "TW") & (x.start < "1949-12-08"))], extra], ignore_index=True)
    # rows without a code: the name, and after a union the united state (unvotes keeps the old name for late 1990)
    names = pd.DataFrame([("Federal Republic of Germany", "GFR", "1945-01-01", "1990-10-02"), ("Federal Republic of Germany", "DEU", "1990-10-03", "9999-12-31"),
                          ("Yemen Arab Republic", "YAR", "1945-01-01", "1990-05-21"), ("Yemen Arab Republic", "YEM", "1990-05-22", "9999-12-31"),
                          ("Zanzibar", "ZAN", "1945-01-01", "9999-12-31")], columns=["country", "code", "start", "end"])
    con.register("_iso2", x)
    con.register("_names", names)
    con.execute("""
        CREATE OR REPLACE TABLE un_votes AS
        WITH exact AS (
            SELECT v.rcid, r.date, r.year, r.session, coalesce(x.code, n.code) AS code, v.vote, v.country, v.country_code
            FROM unvotes_votes v
            JOIN unvotes_roll_calls r USING (rcid)
            LEFT JOIN _iso2 x ON v.country_code = x.key AND r.date BETWEEN x.start AND x."end"
            LEFT JOIN _names n ON v.country_code = '' AND v.country = n.country AND r.date BETWEEN n.start AND n."end"
        ), early AS (   -- a vote up to two years before the code's first holder exists: that holder
            SELECT e.rcid, e.country_code, arg_min(x.code, x.start) AS code
            FROM exact e JOIN _iso2 x ON e.country_code = x.key
                 AND x.start > e.date AND x.start <= strftime(CAST(e.date AS DATE) + INTERVAL 2 YEAR, '%Y-%m-%d')
            WHERE e.code IS NULL
            GROUP BY e.rcid, e.country_code
        )
        SELECT e.rcid, e.date, e.year, e.session, coalesce(e.code, y.code) AS code, e.vote,
               CASE e.vote WHEN 'yes' THEN 3 WHEN 'abstain' THEN 2 WHEN 'no' THEN 1 END AS vote_ordinal,
               e.country, e.country_code, e.code IS NULL AND y.code IS NOT NULL AS before_state_start
        FROM exact e LEFT JOIN early y ON e.rcid = y.rcid AND e.country_code = y.country_code
    """)
    con.unregister("_iso2")
    con.unregister("_names")


def _check_vote_countries(df, path):
    """Every ISO2 code must be one the registry knows at some date; blank codes need a known name."""
    reg = registry()
    known = set(reg._systems["iso2"]) | {""}
    bad = ~df["country_code"].isin(known)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        code = df["country_code"].iloc[i]
        raise InputError(f"unknown country code {show(code)} ({df['country'].iloc[i]})", file=str(path), line=i + 2, field="country_code",
                         expected="an ISO 3166 alpha-2 code of a state" + (f"; did you mean {', '.join(reg.suggest(df['country'].iloc[i]))}?" if reg.suggest(df['country'].iloc[i]) else ""),
                         hint="correct the code; historical codes SU, DD, YU, CS, YD are known")
    blank = df.loc[df["country_code"] == "", "country"].unique()
    known_blank = {"Federal Republic of Germany", "Yemen Arab Republic", "Zanzibar"}
    for name in blank:
        if name not in known_blank:
            try:
                reg.resolve(name)
            except Exception:
                i = int(((df["country_code"] == "") & (df["country"] == name)).to_numpy().nonzero()[0][0])
                raise InputError(f"row without a country code and an unknown name {show(name)}", file=str(path), line=i + 2, field="country",
                                 expected="a country code, or a name the registry knows", hint="add the ISO2 code") from None
