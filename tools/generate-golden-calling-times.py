#!/usr/bin/env python3
"""Writes compliance/src/test/resources/io/switchboard/compliance/rules/golden-calling-times.csv.

For every jurisdiction of the rule pack, a number of its area code is judged at instants around
each of its rules' window edges on a weekday, on a Saturday and a Sunday, on a holiday of its
calendars, and on the days after both 2026-27 DST changes. The expected verdicts are worked out
here, from the rule files, by a reading of the format that shares no code with the Java engine;
GoldenCallingTimesTest checks the engine against them. After changing a rule file, rerun this
and review the diff of the CSV before committing it: each changed line is a changed decision.

Usage: tools/generate-golden-calling-times.py   (Python 3.9+ with PyYAML)
"""
import csv
import datetime as dt
import pathlib
import re
import sys
from zoneinfo import ZoneInfo

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
RULES = ROOT / "compliance/src/main/resources/io/switchboard/compliance/rules"
ZONES = ROOT / "compliance/src/main/resources/io/switchboard/compliance/scrub/timezones.txt"
OUT = ROOT / "compliance/src/test/resources/io/switchboard/compliance/rules/golden-calling-times.csv"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def easter(year):
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def holiday_days(spec, year):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec):
        d = dt.date.fromisoformat(spec)
        return [d] if d.year == year else []
    if re.fullmatch(r"\d{2}-\d{2}", spec):
        month, day = map(int, spec.split("-"))
        try:
            return [dt.date(year, month, day)]
        except ValueError:
            return []
    m = re.fullmatch(r"(first|second|third|fourth|last) (\w+) of (\w+)", spec)
    if m:
        weekday = DAYS.index(m.group(2)[:3])
        month = MONTHS.index(m.group(3)) + 1
        days = [dt.date(year, month, d) for d in range(1, 32) if valid(year, month, d)
                and dt.date(year, month, d).weekday() == weekday]
        return [days[-1] if m.group(1) == "last" else days[ORDINALS[m.group(1)] - 1]]
    m = re.fullmatch(r"easter([+-]\d+)?", spec)
    return [easter(year) + dt.timedelta(days=int(m.group(1) or 0))]


def valid(year, month, day):
    try:
        dt.date(year, month, day)
        return True
    except ValueError:
        return False


def holidays_of(calendar, year):
    out = {}
    for h in calendar:
        spec = h.get("date", h.get("rule"))
        for y in (year - 1, year, year + 1):
            for d in holiday_days(str(spec), y):
                days = [d]
                if h.get("observed"):
                    if d.weekday() == 5:
                        days.append(d - dt.timedelta(days=1))
                    elif d.weekday() == 6:
                        days.append(d + dt.timedelta(days=1))
                for x in days:
                    if x.year == year:
                        out.setdefault(x, h["name"])
    return out


def minutes(text):
    h, m = map(int, text.split(":"))
    return h * 60 + m


def hours_table(rule):
    table = {}
    for key, value in rule["hours"].items():
        if key == "holiday":
            continue
        if key == "daily":
            days = DAYS
        elif "-" in key:
            a, b = key.split("-")
            days = DAYS[DAYS.index(a):DAYS.index(b) + 1]
        else:
            days = [key]
        for d in days:
            table[d] = value
    return table


def window(value):
    if value == "none":
        return None
    a, b = value.split("-")
    return minutes(a), minutes(b)


class Pack:
    def __init__(self):
        self.files = {}
        for f in sorted(RULES.glob("*.yaml")):
            self.files[f.stem] = yaml.safe_load(f.read_text())
        self.areas = {}
        for line in (RULES / "areacodes.txt").read_text().splitlines():
            if line and not line.startswith("#"):
                prefix, ids = line.split("|")
                self.areas[prefix] = ids.split("&")
        self.zones = {}
        for line in ZONES.read_text().splitlines():
            if line and not line.startswith("#"):
                prefix, zones = line.split("|")
                self.zones[prefix] = zones.split("&")

    def zones_of(self, number):
        digits = number[1:]
        for n in range(len(digits), 0, -1):
            if digits[:n] in self.zones:
                return self.zones[digits[:n]]
        return []

    def calendar(self, jid, year):
        return holidays_of(self.files.get(jid, {}).get("holidays") or [], year)

    def rules_for(self, jids):
        ids = set(jids)
        for j in jids:
            if "-" in j:
                ids.add(j.split("-")[0])
        out = []
        for j in sorted(ids, key=lambda x: ("-" not in x, x)):
            for r in (self.files.get(j, {}).get("rules") or []):
                if "telephone_solicitation" in r["purposes"]:
                    out.append((j, r))
        return out

    def blocking(self, jids, number_zones, instant):
        """Returns the ids of the rules that forbid a default call (telephone solicitation, method not
        said, no consent, ZIP not known) at instant, the default operator window included."""
        blocked = []
        for j, r in self.rules_for(jids):
            zones = [r["zone"]] if r.get("zone") else number_zones
            for z in zones:
                tz = ZoneInfo(z) if "/" in z else dt.timezone(offset(z))
                local = instant.astimezone(tz)
                d = local.date()
                eff = r.get("effective") or {}
                if eff.get("from") and d < eff["from"] or eff.get("until") and d >= eff["until"]:
                    continue
                w = window(hours_table(r)[DAYS[d.weekday()]])
                if "holiday" in r["hours"]:
                    cals = r.get("holidays") or [j]
                    if any(d in self.calendar(c, d.year) for c in cals):
                        # A holiday never widens the day: both the day's and the holiday's hours hold.
                        h = window(r["hours"]["holiday"])
                        w = None if w is None or h is None or max(w[0], h[0]) >= min(w[1], h[1]) \
                            else (max(w[0], h[0]), min(w[1], h[1]))
                t = local.hour * 60 + local.minute
                if w is None or not (w[0] <= t < w[1]):
                    blocked.append(r["id"])
                    break
        # The operator's window (compliance.callingWindow, 08:00-21:00 by default) holds for every call.
        for z in number_zones:
            local = instant.astimezone(ZoneInfo(z))
            if not (8 * 60 <= local.hour * 60 + local.minute < 21 * 60):
                blocked.append("house-window")
                break
        return blocked


def offset(text):
    sign = -1 if text.startswith("-") else 1
    h, m = map(int, text[1:].split(":"))
    return dt.timedelta(hours=sign * h, minutes=sign * m)


def representative(pack, jid):
    """A number of an area code of jid: one of jid alone in one zone if there is one, else any
    area code that names jid (its other jurisdictions and zones then apply too); None if none."""
    fallback = None
    for prefix in sorted(pack.areas):
        if jid in pack.areas[prefix]:
            number = "+" + prefix + "5550100"
            if pack.areas[prefix] == [jid] and len(pack.zones_of(number)) == 1:
                return number
            if fallback is None and pack.zones_of(number):
                fallback = number
    return fallback


def fmt(minute):
    return "%02d:%02d" % (minute // 60, minute % 60)


def main():
    pack = Pack()
    rows = []
    tuesday, saturday, sunday = dt.date(2026, 12, 1), dt.date(2026, 12, 5), dt.date(2026, 12, 6)
    after_fall_back, spring_forward = dt.date(2026, 11, 2), dt.date(2027, 3, 14)
    for jid in sorted(pack.files):
        if "-" not in jid:
            continue
        number = representative(pack, jid)
        if number is None:
            print("no single-zone area code for " + jid, file=sys.stderr)
            continue
        zones = pack.zones_of(number)
        zone = zones[0]
        area = pack.areas[number[1:5]]
        cases = set()
        edges = {8 * 60, 21 * 60}
        for _, r in pack.rules_for(area):
            for value in hours_table(r).values():
                w = window(value)
                if w:
                    edges.update(w)
        for day in (tuesday, saturday, sunday, after_fall_back):
            for e in edges:
                for m in (e - 1, e):
                    if 0 <= m < 24 * 60:
                        cases.add((day, m))
            cases.add((day, 12 * 60 + 30))
        cases.add((spring_forward, 12 * 60))
        cases.add((spring_forward, 20 * 60 + 30))
        # A holiday of each calendar a rule of the jurisdiction counts, on a weekday in 2027.
        for j, r in pack.rules_for(area):
            if "holiday" in r["hours"]:
                for c in r.get("holidays") or [j]:
                    days = sorted(d for d in pack.calendar(c, 2027) if d.weekday() < 5)
                    if days:
                        cases.add((days[0], 12 * 60))
        for day, minute in sorted(cases):
            local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), ZoneInfo(zone))
            blocked = pack.blocking(area, zones, local)
            rows.append([jid, number, day.isoformat() + "T" + fmt(minute), zone,
                         "allowed" if not blocked else "blocked:" + "|".join(blocked)])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="") as f:
        f.write("# jurisdiction,number,local time,zone,expected: allowed, or blocked by any of the rules listed.\n")
        f.write("# Generated by tools/generate-golden-calling-times.py from the rule files; review its diff.\n")
        csv.writer(f, lineterminator="\n").writerows(rows)
    print("wrote %d cases for %d jurisdictions to %s" % (len(rows), len({r[0] for r in rows}), OUT))


if __name__ == "__main__":
    main()
