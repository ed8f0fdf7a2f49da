#!/usr/bin/env python3
"""The recipe table of bench/classifier_recipe/run.sh: mean +- sd over the 3 seeds.
Usage: table.py OUT [--external]"""
import json, os, statistics as st, sys

os.chdir(sys.argv[1])
external = "--external" in sys.argv
head = "| recipe | val AUC | val accuracy | shifted AUC | shifted accuracy |"
rows = [head + (" external AUC | external accuracy |" if external else ""),
        "|---|---|---|---|---|" + ("---|---|" if external else "")]


def ms(values):
    return f"{st.mean(values):.3f} ± {st.stdev(values):.3f}"


for name in ["plain", "plain_classical", "style", "cpu", "cpu_classical", "cpu_no_tta"]:
    if not os.path.exists(f"{name}/shifted/results.json"):
        continue
    val = [json.load(open(f"{name}/s{s}/metrics.json"))["validation"] for s in (1, 2, 3)]
    shifted = json.load(open(f"{name}/shifted/results.json"))["classification"]["models"]
    row = (f"| {name} | {ms([v['roc_auc']['value'] for v in val])} | {ms([v['accuracy']['value'] for v in val])} | "
           f"{ms(shifted['auc']['runs'])} | {ms(shifted['accuracy']['runs'])} |")
    if external and os.path.exists(f"{name}/external/results.json"):
        e = json.load(open(f"{name}/external/results.json"))["classification"]["models"]
        row += f" {ms(e['auc']['runs'])} | {ms(e['accuracy']['runs'])} |"
    rows.append(row)
print("\n".join(rows))
