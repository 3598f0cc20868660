#!/usr/bin/env python3
"""Writes a synthetic dbt/sqlt project for benchmarks: N models in three layers, about two refs
each, a config() block on some, one property file per folder with tests, and seeds.

Usage: gen_bench_project.py OUT_DIR --models N [--kind view|table|mixed] [--seed-rows R]
The same arguments always give the same project."""
import argparse, os, random

def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--models", type=int, default=10000)
    p.add_argument("--kind", default="mixed", choices=["view", "table", "mixed"])
    p.add_argument("--seed-rows", type=int, default=100)
    p.add_argument("--folder-size", type=int, default=100)
    p.add_argument("--dbt-file", action="store_true", help="name the project file dbt_project.yml")
    a = p.parse_args()
    rnd = random.Random(42)
    os.makedirs(a.out, exist_ok=True)
    name = "bench"
    project = f"""name: {name}
version: '1.0'
config-version: 2
profile: bench
model-paths: ["models"]
seed-paths: ["seeds"]
vars:
  min_amount: 0
models:
  {name}:
    +materialized: {'view' if a.kind != 'table' else 'table'}
    layer3:
      +tags: ['gold']
"""
    with open(os.path.join(a.out, "dbt_project.yml" if a.dbt_file else "sqlt_project.yml"), "w") as f:
        f.write(project)
    os.makedirs(os.path.join(a.out, "seeds"), exist_ok=True)
    with open(os.path.join(a.out, "seeds", "raw_orders.csv"), "w") as f:
        f.write("id,customer_id,amount,created_at\n")
        for i in range(a.seed_rows):
            f.write(f"{i},{rnd.randint(1, 50)},{rnd.randint(1, 1000) / 10},2024-01-{1 + i % 28:02d}\n")
    layers = [a.models * 4 // 10, a.models * 3 // 10]
    layers.append(a.models - sum(layers))
    names = []
    for layer, count in enumerate(layers, start=1):
        current = []
        for i in range(count):
            folder = f"layer{layer}/f{i // a.folder_size:03d}"
            model = f"l{layer}_m{i:05d}"
            current.append((folder, model))
        names.append(current)
    by_folder = {}
    for layer, models in enumerate(names, start=1):
        for i, (folder, model) in enumerate(models):
            path = os.path.join(a.out, "models", folder)
            os.makedirs(path, exist_ok=True)
            lines = []
            if a.kind == "mixed" and i % 5 == 0:
                lines.append("{{ config(materialized='table', tags=['heavy']) }}")
            elif i % 7 == 0:
                lines.append("{{ config(tags=['daily']) }}")
            if layer == 1:
                lines.append("select id, customer_id, amount, created_at")
                lines.append("from {{ ref('raw_orders') }}")
                lines.append("where amount >= {{ var('min_amount') }}")
            else:
                ups = rnd.sample(names[layer - 2], 2)
                lines.append("with a as (")
                lines.append(f"    select id, customer_id, amount, created_at from {{{{ ref('{ups[0][1]}') }}}}")
                lines.append("), b as (")
                lines.append(f"    select id, amount as amount_b from {{{{ ref('{ups[1][1]}') }}}}")
                lines.append(")")
                lines.append("select a.id, a.customer_id, a.amount + coalesce(b.amount_b, 0) as amount, a.created_at")
                lines.append("from a left join b on a.id = b.id")
                lines.append("{% if target.name == 'prod' %}where a.amount > 0{% endif %}")
            with open(os.path.join(path, model + ".sql"), "w") as f:
                f.write("\n".join(lines) + "\n")
            by_folder.setdefault(folder, []).append(model)
    for folder, models in by_folder.items():
        with open(os.path.join(a.out, "models", folder, "_models.yml"), "w") as f:
            f.write("version: 2\nmodels:\n")
            for model in models:
                f.write(f"  - name: {model}\n    description: Model {model}\n    columns:\n")
                f.write("      - name: id\n        data_tests: [not_null]\n")
                f.write("      - name: amount\n        description: Amount in EUR\n")

if __name__ == "__main__":
    main()
