#!/usr/bin/env python3
"""Write a reproducible benchmark CSV of León community-centre visits and its schema.

    python3 generate.py [OUT_DIR] [--rows N] [--seed S] [--bad-rate R]

Writes OUT_DIR/data.csv (header + N rows x 8 columns), OUT_DIR/schema.json
(a Frictionless Table Schema) and OUT_DIR/injected.json (how many defects of
each kind were injected, with the frictionless error codes they should
produce). About R of the rows (default 0.1%) carry exactly one defect.
Standard library only; the same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
from collections import Counter

CENTROS = [
    "Las Joyas", "Jacinto López", "Piletas", "Valle de Señora", "El Coecillo",
    "San Francisco", "Diez de Mayo", "Lomas de Medina", "Los Castillos", "San Juan de Abajo",
]
COLONIAS = [
    "Centro", "Obregón", "León I", "León II", "Bellavista", "Killian", "Jardines de Jerez",
    "Las Margaritas", "San Felipe de Jesús", "Barrio del Coecillo", "Valle de Señora",
    "Piletas, 2a sección", "Las Joyas", "Los Castillos", "San Juan de Dios", "Barrio Arriba",
    "León Moderno", "Ciudad Industrial", "Santa María del Granjeno", "Jacinto López",
    "Lomas de Medina", "El Paisaje", "San Miguel", "Villas de San Juan", "Diez de Mayo",
    "Los Olivos", "Medina", "Hacienda de Ibarrilla", "La Ermita", "Delta de Jerez",
]
NOMBRES = ["ana", "luis", "maria", "jose", "guadalupe", "juan", "rosa", "miguel", "carmen", "jorge",
           "veronica", "francisco", "leticia", "alejandro", "patricia", "ricardo"]
APELLIDOS = ["lopez", "hernandez", "garcia", "martinez", "ramirez", "gonzalez", "torres", "mendoza",
             "aguilar", "ortiz", "rangel", "moreno", "vazquez", "munoz", "gutierrez", "alvarez"]
DOMINIOS = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx", "leon.gob.mx"]

FOLIO_BASE = 100000
FIRST_DAY = dt.date(2023, 1, 1)

# defect kind -> frictionless error codes it produces (a blank row also has an all-blank primary key)
DEFECTS = {
    "type-integer": ["type-error"],          # visitas = "muchas"
    "type-number": ["type-error"],           # monto = "1,5"
    "type-date": ["type-error"],             # fecha = "31/02/2024"
    "type-boolean": ["type-error"],          # activo = "sí"
    "enum": ["constraint-error"],            # centro_comunitario not in enum
    "minimum": ["constraint-error"],         # visitas < 0
    "required": ["constraint-error"],        # colonia blank
    "pattern": ["constraint-error"],         # correo without @
    "max-length": ["constraint-error"],      # correo longer than 60 characters
    "duplicate-folio": ["primary-key"],      # folio of an earlier row
    "extra-cell": ["extra-cell"],            # one cell too many
    "missing-cell": ["missing-cell"],        # last cell (correo) missing
    "blank-row": ["blank-row", "primary-key"],
}


def schema() -> dict:
    return {
        "fields": [
            {"name": "folio", "type": "integer", "constraints": {"required": True}},
            {"name": "fecha", "type": "date"},
            {"name": "centro_comunitario", "type": "string",
             "constraints": {"required": True, "enum": CENTROS}},
            {"name": "colonia", "type": "string", "constraints": {"required": True}},
            {"name": "visitas", "type": "integer", "constraints": {"minimum": 0}},
            {"name": "monto", "type": "number", "constraints": {"minimum": 0}},
            {"name": "activo", "type": "boolean"},
            {"name": "correo", "type": "string",
             "constraints": {"pattern": "[a-z0-9._-]+@[a-z0-9.-]+\\.[a-z]{2,}", "maxLength": 60}},
        ],
        "primaryKey": ["folio"],
    }


def good_row(rng: random.Random, folio: int) -> list[str]:
    fecha = FIRST_DAY + dt.timedelta(days=rng.randrange(731))
    monto = "" if rng.random() < 0.02 else f"{rng.randrange(0, 2_000_000) / 100:.2f}"
    correo = ""
    if rng.random() < 0.9:
        correo = (f"{rng.choice(NOMBRES)}.{rng.choice(APELLIDOS)}{rng.randrange(100)}"
                  f"@{rng.choice(DOMINIOS)}")
    return [
        str(folio), fecha.isoformat(), rng.choice(CENTROS), rng.choice(COLONIAS),
        str(rng.randrange(0, 250)), monto, "true" if rng.random() < 0.8 else "false", correo,
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", nargs="?", default="/tmp/abierto-bench")
    ap.add_argument("--rows", type=int, default=int(os.environ.get("ROWS", 1_000_000)))
    ap.add_argument("--seed", type=int, default=20240304)
    ap.add_argument("--bad-rate", type=float, default=0.001, help="fraction of rows with a defect")
    args = ap.parse_args()

    os.makedirs(args.out_dir, exist_ok=True)
    rng = random.Random(args.seed)
    kinds = list(DEFECTS)
    injected: Counter[str] = Counter()
    unused_folios: set[int] = set()  # sequential folios never written (blank / duplicate rows)

    with open(os.path.join(args.out_dir, "data.csv"), "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([f["name"] for f in schema()["fields"]])
        for i in range(args.rows):
            folio = FOLIO_BASE + i
            row = good_row(rng, folio)
            if i > 0 and rng.random() < args.bad_rate:
                kind = rng.choice(kinds)
                injected[kind] += 1
                if kind == "type-integer":
                    row[4] = "muchas"
                elif kind == "type-number":
                    row[5] = "1,5"
                elif kind == "type-date":
                    row[1] = "31/02/2024"
                elif kind == "type-boolean":
                    row[6] = "sí"
                elif kind == "enum":
                    row[2] = row[2].lower() + " norte"
                elif kind == "minimum":
                    row[4] = str(-rng.randrange(1, 20))
                elif kind == "required":
                    row[3] = ""
                elif kind == "pattern":
                    row[7] = "sin correo"
                elif kind == "max-length":
                    row[7] = "coordinacion.centros.comunitarios.desarrollo.social@leon.gob.mx"
                elif kind == "duplicate-folio":
                    j = rng.randrange(i)
                    while FOLIO_BASE + j in unused_folios:
                        j = rng.randrange(i)
                    row[0] = str(FOLIO_BASE + j)
                    unused_folios.add(folio)
                elif kind == "extra-cell":
                    row.append("observación")
                elif kind == "missing-cell":
                    row.pop()
                elif kind == "blank-row":
                    row = [] if injected[kind] % 2 else [""] * 8  # empty line or ",,,,,,,"
                    unused_folios.add(folio)
            writer.writerow(row)

    with open(os.path.join(args.out_dir, "schema.json"), "w", encoding="utf-8") as fh:
        json.dump(schema(), fh, ensure_ascii=False, indent=2)
        fh.write("\n")

    expected: Counter[str] = Counter()
    for kind, n in injected.items():
        for code in DEFECTS[kind]:
            expected[code] += n
    summary = {"rows": args.rows, "seed": args.seed, "defects": dict(sorted(injected.items())),
               "expected_codes": dict(sorted(expected.items()))}
    with open(os.path.join(args.out_dir, "injected.json"), "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2)
        fh.write("\n")
    print(f"wrote {args.rows} rows to {args.out_dir}/data.csv; "
          f"{sum(injected.values())} defects: {dict(sorted(expected.items()))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
