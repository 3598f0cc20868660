#!/usr/bin/env python3
"""Deterministic data generator for the sport_activities flagship project.

Writes the seeds of the platform: the HR export and the sport declarations as
Excel workbooks shaped like the original exports (rh_info.xlsx is Donnees_RH.xlsx,
sport_enterprise.xlsx is Donnees_Sportive.xlsx: sheet "Feuille 1", French headers,
numbers stored as floats, D/M/YYYY dates, formatted-but-empty trailing rows), the
distance cache and the activity landing table as CSV, and a second activity batch
(new, late-arriving and corrected rows) that the pipeline must absorb incrementally.
The workbooks are written with Python's zipfile (Office Open XML by hand), so the
generator needs nothing outside the standard library.

Same arguments => byte-identical output. Default run rewrites the committed
small seeds in seeds/ and scripts/data/activities_batch2.csv.

Large sets (benchmarks) are streamed to a folder outside git:
    scripts/generate_data.py --employees 100000 --activities-per-year 5000000 \
        --out .sqlt/bench-data
"""
import argparse
import bisect
import csv
import datetime as dt
import math
import os
import random
import sys
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

OFFICE = (43.5672, 3.8997)  # 1362 Av. des Platanes, 34970 Lattes
ROAD_FACTOR = 1.3

# (town, postcode, lat, lon, weight)
TOWNS = [
    ("Lattes", "34970", 43.5676, 3.9044, 6),
    ("Montpellier", "34000", 43.6108, 3.8767, 30),
    ("Pérols", "34470", 43.5633, 3.9511, 4),
    ("Saint-Jean-de-Védas", "34430", 43.5766, 3.8258, 4),
    ("Castelnau-le-Lez", "34170", 43.6333, 3.9017, 4),
    ("Juvignac", "34990", 43.6136, 3.8103, 3),
    ("Palavas-les-Flots", "34250", 43.5281, 3.9300, 2),
    ("Villeneuve-lès-Maguelone", "34750", 43.5322, 3.8617, 2),
    ("Mauguio", "34130", 43.6158, 4.0083, 3),
    ("Grabels", "34790", 43.6486, 3.7997, 2),
    ("Baillargues", "34670", 43.6617, 4.0125, 2),
    ("Frontignan", "34110", 43.4483, 3.7561, 2),
    ("Sète", "34200", 43.4028, 3.6966, 3),
    ("Lunel", "34400", 43.6753, 4.1358, 3),
    ("Sommières", "30250", 43.7833, 4.0897, 1),
    ("Nîmes", "30000", 43.8367, 4.3601, 12),
    ("Saint-Gilles", "30800", 43.6786, 4.4317, 2),
    ("Vauvert", "30600", 43.6942, 4.2769, 2),
    ("Caissargues", "30132", 43.7950, 4.3783, 1),
]

STREETS = [
    "Rue de la République", "Avenue de la Mer", "Rue des Lilas", "Boulevard Gambetta",
    "Rue du Faubourg", "Impasse des Oliviers", "Chemin des Vignes", "Rue Jean Jaurès",
    "Avenue de Toulouse", "Rue de la Garrigue", "Allée des Pins", "Rue Victor Hugo",
    "Place de la Comédie", "Rue des Écoles", "Avenue du Pont Juvénal", "Rue de l'Aiguillerie",
    "Chemin du Mas", "Rue Saint-Guilhem", "Avenue Jean Moulin", "Rue des Arènes",
]

FIRST_NAMES = [
    "Camille", "Lucas", "Léa", "Hugo", "Manon", "Louis", "Chloé", "Gabriel", "Emma", "Jules",
    "Inès", "Arthur", "Sarah", "Nathan", "Julie", "Théo", "Clara", "Raphaël", "Zoé", "Tom",
    "Lina", "Paul", "Anaïs", "Maxime", "Eva", "Antoine", "Alice", "Mathis", "Jade", "Enzo",
    "Louise", "Noah", "Margaux", "Ethan", "Pauline", "Adam", "Lucie", "Sacha", "Élise", "Victor",
    "Romane", "Baptiste", "Océane", "Quentin", "Mélanie", "Nicolas", "Laura", "Julien", "Marion", "Thomas",
    "Céline", "Kevin", "Audrey", "Florian", "Nadia", "Yanis", "Sofia", "Karim", "Amandine", "Damien",
    "Aurélie", "Samuel", "Lisa", "Bastien", "Justine", "Rémi", "Charlotte", "Loïc", "Mathilde", "Olivier",
]

LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
    "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
    "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
    "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
]

# Crafted collisions so that the pseudonymisation needs 1, 2, 3 letters and the full name.
CRAFTED_NAMES = [
    ("Camille", "Dupont"),   # Camille Dupont (full name: Dup. shared with Dupuis)
    ("Camille", "Dupuis"),   # Camille Dupuis (full name)
    ("Camille", "Durand"),   # Camille Dur.
    ("Camille", "Martin"),   # Camille M.
    ("Lucas", "Bernard"),    # Lucas Be.
    ("Lucas", "Blanc"),      # Lucas Bl.
    ("Léa", "Garcia"),       # Léa Ga.
    ("Léa", "Girard"),       # Léa Gi.
    ("Léa", "Morel"),        # Léa M.
]

BUSINESS_UNITS = ["Finance", "Support", "Ventes", "R&D", "Marketing"]
BU_WEIGHTS = [15, 25, 30, 20, 10]

MODE_CAR = "véhicule thermique/électrique"
MODE_BIKE = "Vélo/Trottinette/Autres"
MODE_TRANSIT = "Transports en commun"
MODE_WALK = "Marche/running"

# sport -> (has_distance, mean speed km/h, typical duration minutes (min, max))
SPORTS = {
    "Runing": (True, 10.5, (25, 90)),
    "Randonnée": (True, 4.5, (90, 300)),
    "Tennis": (False, 0, (45, 120)),
    "Natation": (True, 2.8, (25, 75)),
    "Football": (False, 0, (60, 120)),
    "Rugby": (False, 0, (60, 120)),
    "Badminton": (False, 0, (45, 90)),
    "Voile": (True, 12.0, (90, 240)),
    "Judo": (False, 0, (60, 120)),
    "Boxe": (False, 0, (45, 90)),
    "Escalade": (False, 0, (60, 180)),
    "Triathlon": (True, 18.0, (60, 180)),
    "Équitation": (True, 9.0, (45, 120)),
    "Tennis de table": (False, 0, (45, 90)),
    "Basketball": (False, 0, (60, 120)),
}
SPORT_NAMES = list(SPORTS)
SPORT_WEIGHTS = [20, 12, 10, 9, 8, 4, 6, 3, 3, 4, 6, 3, 3, 4, 5]

COMMENTS = [
    "", "", "", "", "Reprise du sport !", "Belle sortie", "Un peu fatigué", "Super séance",
    "Avec les collègues", "Météo parfaite", "Trop de vent", "Record personnel", "Séance tranquille",
    "Dur dur aujourd'hui", "Objectif atteint",
]


def haversine_km(a, b):
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def fmt_ts(t):
    # faster than strftime, which dominates the large runs
    return "%04d-%02d-%02d %02d:%02d:%02d" % (t.year, t.month, t.day, t.hour, t.minute, t.second)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--employees", type=int, default=161)
    p.add_argument("--activities-per-year", type=int, default=2200)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--today", default="2026-02-23", help="the 'today' of the generated data (YYYY-MM-DD)")
    p.add_argument("--workbooks-as-csv", action="store_true",
                   help="write the HR and sport exports as rh_info.csv and sport_enterprise.csv (same headers "
                        "and values) instead of .xlsx, for dbt-core, which reads only CSV seeds")
    p.add_argument("--out", default=None,
                   help="output folder (default: the project's seeds/ and scripts/data/ for the default set, "
                        ".sqlt/bench-data for any other set)")
    return p.parse_args(argv)


def generate_employees(rng, n, today):
    """Yield employee dicts (ids 10001.. for the small set, 5-digit while possible)."""
    town_cw = []
    acc = 0
    for t in TOWNS:
        acc += t[4]
        town_cw.append(acc)
    employees = []
    base_id = 10001 if n <= 89999 else 1000001
    # deterministic, shuffled ids so the export does not look sequential
    ids = list(range(base_id, base_id + n * 3, 3)) if n <= 29999 else list(range(base_id, base_id + n))
    rng.shuffle(ids)
    ids = sorted(ids[:n]) if n <= 29999 else ids
    used_names = set()
    for i in range(n):
        if i < len(CRAFTED_NAMES) and n >= 20:
            first, last = CRAFTED_NAMES[i]
        else:
            # no two employees share a full name (the full name is the last-resort pseudonym)
            while True:
                first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
                last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
                if (first, last) not in used_names or len(used_names) >= len(FIRST_NAMES) * len(LAST_NAMES):
                    break
        used_names.add((first, last))
        town = TOWNS[bisect.bisect_left(town_cw, rng.random() * acc)]
        lat = town[2] + rng.uniform(-0.018, 0.018)
        lon = town[3] + rng.uniform(-0.024, 0.024)
        address = f"{rng.randint(1, 180)} {STREETS[rng.randrange(len(STREETS))]}, {town[1]} {town[0]}"
        km = round(haversine_km((lat, lon), OFFICE) * ROAD_FACTOR, 1)
        # plausible commute mode for the distance, with deliberate implausible declarations
        r = rng.random()
        if km <= 4:
            mode = MODE_WALK if r < 0.35 else MODE_BIKE if r < 0.65 else MODE_CAR if r < 0.85 else MODE_TRANSIT
        elif km <= 15:
            mode = MODE_BIKE if r < 0.30 else MODE_WALK if r < 0.38 else MODE_TRANSIT if r < 0.60 else MODE_CAR
        elif km <= 25:
            mode = MODE_BIKE if r < 0.15 else MODE_TRANSIT if r < 0.40 else MODE_CAR
        else:
            mode = MODE_TRANSIT if r < 0.30 else MODE_CAR if r < 0.94 else MODE_BIKE if r < 0.97 else MODE_WALK
        birth = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        earliest_hire = max(birth.replace(year=birth.year + 20) if not (birth.month == 2 and birth.day == 29)
                            else dt.date(birth.year + 20, 3, 1), dt.date(2000, 1, 1))
        span = (today - earliest_hire).days - 30
        hire = earliest_hire + dt.timedelta(days=rng.randrange(0, max(span, 1)))
        employees.append({
            "id": ids[i], "last": last, "first": first, "birth": birth,
            "bu": BUSINESS_UNITS[bisect.bisect_left([15, 40, 70, 90, 100], rng.random() * 100)],
            "hire": hire, "salary": rng.randrange(25000, 75001, 10) if rng.random() < 0.7 else rng.randint(25000, 75000),
            "contract": "CDI" if rng.random() < 0.85 else "CDD",
            "leave": rng.randint(25, 29), "address": address, "mode": mode, "km": km,
            "cached": True,
        })
    if n >= 20:
        # crafted implausible declarations (walking > 15 km, cycling > 25 km)
        far = [e for e in employees[len(CRAFTED_NAMES):] if e["km"] > 26]
        for e in far[:2]:
            e["mode"] = MODE_WALK
        for e in far[2:5]:
            e["mode"] = MODE_BIKE
        mid = [e for e in employees[len(CRAFTED_NAMES):] if 15.5 < e["km"] <= 25 and e["mode"] != MODE_WALK]
        for e in mid[:1]:
            e["mode"] = MODE_WALK
        # some addresses are missing from the geocoding cache
        for e in employees[len(CRAFTED_NAMES)::37]:
            e["cached"] = False
    return employees


HR_HEADER = ["ID salarié", "Nom", "Prénom", "Date de naissance", "BU", "Date d'embauche", "Salaire brut",
             "Type de contrat", "Nombre de jours de CP", "Adresse du domicile", "Moyen de déplacement"]
SPORT_HEADER = ["ID salarié", "Pratique d'un sport"]
SHEET = "Feuille 1"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # fixed, so the same arguments give byte-identical workbooks


def column_letters(index):
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def write_xlsx(path, header, rows, trailing_formatted_rows=0):
    """Writes one sheet named SHEET as the HR tool exports it: text in shared strings, numbers
    as floats, dates as serial numbers with the number format D/M/YYYY, None as an empty cell,
    then `trailing_formatted_rows` rows whose cells carry a style but no value."""
    strings, index = [], {}

    def shared(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    epoch = dt.date(1899, 12, 30)
    width = len(header)
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f'<dimension ref="A1:{column_letters(width - 1)}{len(rows) + 1}"/><sheetData>']
    for r, values in enumerate([header] + rows, start=1):
        cells = []
        for c, v in enumerate(values):
            ref = f"{column_letters(c)}{r}"
            if v is None or v == "":
                cells.append(f'<c r="{ref}" s="2"/>')
            elif isinstance(v, dt.date):
                cells.append(f'<c r="{ref}" s="1"><v>{(v - epoch).days}</v></c>')
            elif isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{float(v)!r}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{shared(v)}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    for r in range(len(rows) + 2, len(rows) + 2 + trailing_formatted_rows):
        out.append(f'<row r="{r}">' + "".join(f'<c r="{column_letters(c)}{r}" s="2"/>' for c in range(width)) + '</row>')
    out.append('</sheetData></worksheet>')
    sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
           f'uniqueCount="{len(strings)}">']
    sst += [f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in strings]
    sst.append('</sst>')
    ns_main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ns_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ns_pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{ns_pkg}">'
            f'<Relationship Id="rId1" Type="{ns_rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{ns_main}" xmlns:r="{ns_rel}">'
            f'<workbookPr/><sheets><sheet name="{escape(SHEET)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{ns_pkg}">'
            f'<Relationship Id="rId1" Type="{ns_rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{ns_rel}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{ns_rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{ns_main}">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="D/M/YYYY"/></numFmts>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="2"><border/><border><bottom style="thin"/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"/></cellXfs>'
            '</styleSheet>',
        "xl/sharedStrings.xml": "".join(sst),
        "xl/worksheets/sheet1.xml": "".join(out),
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))


def write_table(out, name, header, rows, as_csv, trailing_formatted_rows=0):
    if as_csv:
        with open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for row in rows:
                w.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date)
                            else int(v) if isinstance(v, float) and v.is_integer() else v for v in row])
    else:
        write_xlsx(os.path.join(out, name + ".xlsx"), header, rows, trailing_formatted_rows)


def write_employees(out, employees, as_csv=False):
    """The HR export (Donnees_RH.xlsx): numbers as floats, dates in D/M/YYYY."""
    write_table(out, "rh_info", HR_HEADER, [
        [float(e["id"]), e["last"], e["first"], e["birth"], e["bu"], e["hire"], float(e["salary"]),
         e["contract"], float(e["leave"]), e["address"], e["mode"]] for e in employees], as_csv)
    with open(os.path.join(out, "distance_cache.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["adresse", "distance_km"])
        seen = set()
        for e in employees:
            if e["cached"] and e["address"] not in seen:
                seen.add(e["address"])
                w.writerow([e["address"], f"{e['km']:.1f}"])


def assign_sports(rng, employees):
    """Declared sport per employee (None for ~40%) and an activity weight."""
    sport_cw = []
    acc = 0
    for wgt in SPORT_WEIGHTS:
        acc += wgt
        sport_cw.append(acc)
    for e in employees:
        if rng.random() < 0.40:
            e["sport"] = None
            e["weight"] = 0.05 if rng.random() < 0.15 else 0.0
        else:
            e["sport"] = SPORT_NAMES[bisect.bisect_left(sport_cw, rng.random() * acc)]
            e["weight"] = rng.lognormvariate(0.0, 0.9)


def write_sports(out, employees, as_csv=False):
    """The sport declarations (Donnees_Sportive.xlsx): an empty cell when no sport is declared,
    then about 840 formatted-but-empty rows, as the real export has."""
    write_table(out, "sport_enterprise", SPORT_HEADER, [[float(e["id"]), e["sport"]] for e in employees], as_csv,
                trailing_formatted_rows=840)


ACTIVITY_HEADER = ["id_activity", "id_salarie", "date_debut", "sport_type", "distance_m", "date_fin",
                   "commentaire", "loaded_at"]


def make_activity(rng, e, day, start_hour_range):
    # rng.random() arithmetic rather than randrange/randint: the large runs spend their time here
    r = rng.random
    sport = e["sport"] or SPORT_NAMES[int(r() * len(SPORT_NAMES))]
    if e["sport"] and r() < 0.08:
        sport = SPORT_NAMES[int(r() * len(SPORT_NAMES))]
    has_dist, speed, (dmin, dmax) = SPORTS[sport]
    seconds = (dmin + int(r() * (dmax - dmin + 1))) * 60 + int(r() * 60)
    h0, h1 = start_hour_range
    start = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=h0 * 3600 + int(r() * (h1 - h0) * 3600))
    end = start + dt.timedelta(seconds=seconds)
    dist = ""
    if has_dist:
        dist = str(int(speed * (0.8 + 0.4 * r()) * seconds / 3.6))
    comment = COMMENTS[int(r() * len(COMMENTS))]
    return sport, start, end, dist, comment


def write_activities(rng, out_seed, out_batch2, employees, per_year, years, today):
    active = [e for e in employees if e["weight"] > 0]
    cw = []
    acc = 0.0
    for e in active:
        acc += e["weight"]
        cw.append(acc)
    first_day = today - dt.timedelta(days=365 * years - 1)
    per_day = per_year / 365.0
    next_id = 1
    kept = []  # a few batch-1 rows to correct in batch 2
    prime_year = today.year - 1
    prime_counts = {}  # employee id -> batch-1 activities in the prime year
    last_prime_row = {}  # employee id -> its last batch-1 activity of the prime year
    reference_cutoff = dt.datetime.combine(today, dt.time(17, 0))
    with open(out_seed, "w", newline="", encoding="utf-8", buffering=1 << 20) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ACTIVITY_HEADER)
        day = first_day
        while day <= today:
            weekend = day.weekday() >= 5
            lam = per_day * (1.4 if weekend else 0.84)
            n = int(lam) + (1 if rng.random() < lam - int(lam) else 0)
            if day == today:
                n = max(n, 6)
            rows = []
            for k in range(n):
                e = active[bisect.bisect_left(cw, rng.random() * acc)] if len(active) > 0 else None
                if e is None:
                    break
                hours = (7, 15) if day == today else (6, 20)
                sport, start, end, dist, comment = make_activity(rng, e, day, hours)
                loaded = min(end + dt.timedelta(seconds=120 + int(rng.random() * 2281)), reference_cutoff)
                if loaded < end:
                    loaded = end
                rows.append((start, e["id"], sport, dist, end, comment, loaded))
            rows.sort(key=lambda r: r[0])
            for start, eid, sport, dist, end, comment, loaded in rows:
                w.writerow([next_id, eid, fmt_ts(start), sport, dist, fmt_ts(end), comment, fmt_ts(loaded)])
                if start.year == prime_year:
                    prime_counts[eid] = prime_counts.get(eid, 0) + 1
                    last_prime_row[eid] = (next_id, eid, start, sport, dist, end, comment)
                if dist and len(kept) < 3 and day.month == 6 and day.day >= 10 and day.year == today.year - 1:
                    kept.append((next_id, eid, start, sport, int(dist), end, comment))
                next_id += 1
            day += dt.timedelta(days=1)

    # second batch: new activities today, late-arriving ones, corrections of existing rows
    base_load = dt.datetime.combine(today, dt.time(22, 0))
    with open(out_batch2, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ACTIVITY_HEADER)
        seq = 0
        by_count = sorted(active, key=lambda e: (-e["weight"], e["id"]))
        for k in range(8):  # new activities of the reference day, loaded in the evening
            e = by_count[k % len(by_count)]
            sport, start, end, dist, comment = make_activity(rng, e, today, (17, 20))
            seq += 1
            w.writerow([next_id, e["id"], fmt_ts(start), sport, dist, fmt_ts(end), comment,
                        fmt_ts(base_load + dt.timedelta(seconds=seq))])
            next_id += 1
        # late-arriving: start in the prime year, loaded now. They push employees with 3
        # activities over the prime threshold and employees with 14 to the wellness days.
        by_id = {e["id"]: e for e in active}
        at3 = sorted(eid for eid, c in prime_counts.items() if c == 3)[:3]
        at14 = sorted(eid for eid, c in prime_counts.items() if c == 14)[:2]
        targets = [by_id[eid] for eid in at3 + at14]
        low = sorted(active, key=lambda e: (e["weight"], e["id"]))
        k = 0
        while len(targets) < 12 and low:
            targets.append(low[k % len(low)] if k < 4 else by_count[k % len(by_count)])
            k += 1
        for e in targets:
            day = dt.date(prime_year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
            sport, start, end, dist, comment = make_activity(rng, e, day, (6, 20))
            seq += 1
            w.writerow([next_id, e["id"], fmt_ts(start), sport, dist, fmt_ts(end), "Saisie tardive",
                        fmt_ts(base_load + dt.timedelta(seconds=seq))])
            next_id += 1
        # corrected re-load of a wrongly dated activity: an employee with 4 activities in the
        # prime year drops to 3 and must leave the prime table
        at4 = sorted(eid for eid, c in prime_counts.items() if c == 4)[:1]
        for eid in at4:
            (aid, _, start, sport, dist, end, comment) = last_prime_row[eid]
            shift = dt.timedelta(days=366 if start.month == 2 and start.day == 29 else 365)
            seq += 1
            w.writerow([aid, eid, fmt_ts(start - shift), sport, dist, fmt_ts(end - shift), "Date corrigée",
                        fmt_ts(base_load + dt.timedelta(seconds=seq))])
        # corrected re-loads: same id_activity, changed distance, newer loaded_at
        for (aid, eid, start, sport, dist, end, comment) in kept:
            seq += 1
            w.writerow([aid, eid, fmt_ts(start), sport, int(dist * 1.25), fmt_ts(end), "Distance corrigée",
                        fmt_ts(base_load + dt.timedelta(seconds=seq))])
    return next_id - 1


def main(argv):
    a = parse_args(argv)
    rng = random.Random(a.seed)
    today = dt.date.fromisoformat(a.today)
    defaults = parse_args([])
    is_default_set = all(getattr(a, k) == getattr(defaults, k)
                         for k in ("employees", "activities_per_year", "years", "seed", "today"))
    if a.out or not is_default_set:
        # anything but the committed small set goes outside git
        out = a.out or os.path.join(ROOT, ".sqlt", "bench-data")
        batch2 = os.path.join(out, "activities_batch2.csv")
    else:
        out = os.path.join(ROOT, "seeds")
        batch2 = os.path.join(ROOT, "scripts", "data", "activities_batch2.csv")
    os.makedirs(out, exist_ok=True)
    os.makedirs(os.path.dirname(batch2), exist_ok=True)
    employees = generate_employees(rng, a.employees, today)
    write_employees(out, employees, a.workbooks_as_csv)
    assign_sports(rng, employees)
    write_sports(out, employees, a.workbooks_as_csv)
    total = write_activities(rng, os.path.join(out, "sport_activities.csv"), batch2, employees,
                             a.activities_per_year, a.years, today)
    print(f"wrote {len(employees)} employees, about {total} activities to {out} (batch 2: {batch2})", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
