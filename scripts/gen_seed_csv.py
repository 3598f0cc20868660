#!/usr/bin/env python3
"""Writes the benchmark seed CSV: ROWS rows of eight typed columns (integers, quoted text with a
comma, a numeric, a boolean, a date, a timestamp), deterministic (seed 42).

Usage: gen_seed_csv.py PATH ROWS
"""
import random
import sys

path, rows = sys.argv[1], int(sys.argv[2])
random.seed(42)
units = ["Finance", "Support", "Ventes", "R&D", "Marketing"]
with open(path, "w", newline="") as f:
    f.write("id,employee_id,name,unit,amount,active,day,started_at\n")
    for i in range(1, rows + 1):
        f.write(f"{i},{random.randint(10000, 99999)},\"Name, {i}\",{random.choice(units)},"
                f"{random.randint(0, 10**6) / 100},{'true' if i % 3 else 'false'},"
                f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d},2024-01-{i % 28 + 1:02d} {i % 24:02d}:{i % 60:02d}:00\n")
