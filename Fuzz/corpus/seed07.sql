{{ big + 1 }} {{ big * 2 }} {{ 2 ** 70 }} {{ huge | int }} {{ s | int }} {{ -d.n }} {{ d.n // -1 }}
