#!/usr/bin/env python3
"""Writes the on-topic bench pages: bill texts as a legislature serves them (one <p> a
paragraph), WA HB 1795 in both versions and WY HB 65, as wa1.html, wa2.html and wy.html.

usage: on_topic_pages.py FIXTURES_DIR OUT_DIR
"""
import html
import sys

fixtures, work = sys.argv[1:]
for name, path in (("wa1", "states/wa_2025-26_HB1795_text_1_original.md"),
                   ("wa2", "states/wa_2025-26_HB1795_text_S_substitute.md"),
                   ("wy", "states/wy_2026_HB0065_Introduced_extracted.txt")):
    text = open(f"{fixtures}/{path}", encoding="utf-8").read()
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    with open(f"{work}/{name}.html", "w", encoding="utf-8") as out:
        out.write(f"<!DOCTYPE html><html><head><title>{name}</title></head><body>\n{body}\n"
                  "</body></html>\n")
