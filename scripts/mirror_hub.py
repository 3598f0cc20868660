#!/usr/bin/env python3
"""Turns a package mirror folder (<org>/<name>/<version>/, as SQLT_PACKAGE_MIRROR) into the files
of a dbt package hub, so that dbt-core's `dbt deps` can install the same packages with no network:

    python3 scripts/mirror_hub.py ../shared/dbt-packages /tmp/hub http://127.0.0.1:8765/
    (cd /tmp/hub && python3 -m http.server 8765 --bind 127.0.0.1) &
    DBT_PACKAGE_HUB_URL=http://127.0.0.1:8765/ dbt deps

Writes api/v1/index.json, api/v1/<org>/<name>.json (versions with name, packages,
require_dbt_version and downloads.tarball) and tarballs/<org>/<name>/<version>.tar.gz.
Needs PyYAML (dbt-core's venv has it)."""
import json
import os
import sys
import tarfile

import yaml


def read_yaml(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def main(mirror, out, base_url):
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    index = []
    for org in sorted(os.listdir(mirror)):
        if not os.path.isdir(os.path.join(mirror, org)):
            continue
        for name in sorted(os.listdir(os.path.join(mirror, org))):
            versions = {}
            for version in sorted(os.listdir(os.path.join(mirror, org, name))):
                folder = os.path.join(mirror, org, name, version)
                project = read_yaml(os.path.join(folder, "dbt_project.yml"))
                packages = read_yaml(os.path.join(folder, "packages.yml")).get("packages") or []
                tar_rel = f"tarballs/{org}/{name}/{version}.tar.gz"
                tar_path = os.path.join(out, tar_rel)
                os.makedirs(os.path.dirname(tar_path), exist_ok=True)
                with tarfile.open(tar_path, "w:gz") as archive:
                    archive.add(folder, arcname=f"{name}-{version}")
                require = project.get("require-dbt-version") or []
                versions[version] = {
                    "id": f"{org}/{name}/{version}",
                    "name": project.get("name", name),
                    "version": version,
                    "packages": packages,
                    "require_dbt_version": require if isinstance(require, list) else [require],
                    "works_with": [],
                    "downloads": {"tarball": base_url + tar_rel, "format": "tgz"},
                }
            if not versions:
                continue
            index.append(f"{org}/{name}")
            document = {"name": name, "namespace": org, "latest": sorted(versions)[-1], "versions": versions}
            os.makedirs(os.path.join(out, "api/v1", org), exist_ok=True)
            with open(os.path.join(out, "api/v1", org, f"{name}.json"), "w", encoding="utf-8") as handle:
                json.dump(document, handle)
    with open(os.path.join(out, "api/v1/index.json"), "w", encoding="utf-8") as handle:
        json.dump(index, handle)
    print(f"{len(index)} packages written to {out}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: mirror_hub.py MIRROR_FOLDER OUTPUT_FOLDER BASE_URL")
    main(*sys.argv[1:])
