"""Every user-facing string of the deck and the report, in Swedish and English.

One catalogue so that wording is reviewed in one place. `t(lang, key, **values)` formats a
string; unknown languages fall back to Swedish. Numbers are formatted by `pct` and `dec`
(Swedish: "74 %" with a no-break space and a decimal comma; English: "74%", "41.2").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tillit.analysis import types as at

NBSP = "\u00a0"

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        # deck: title and basis
        "deck_title": "Samspel politik–förvaltning",
        "deck_subtitle": "{municipality} {year} · Resultat och underlag för workshop",
        "purpose_title": "Syfte och underlag",
        "purpose_text": "Syftet är att skapa en gemensam bild av hur förtroendevalda och tjänstepersoner "
                        "styr tillsammans – och att enas om vad vi gör härnäst.",
        "basis_intro": "Underlag: enkäten {instrument}",
        "basis_group": "{n} {label}",
        "basis_group_suppressed": "{label}: färre än {threshold} svar – redovisas inte",
        "basis_total": "{n} svarande totalt",
        "synthetic_data": "Syntetiska data – inte en verklig kommun",
        "synthetic_benchmark": "SYNTETISKA JÄMFÖRELSEDATA",
        # question slides
        "answered_by": "Andel av dem som tog ställning",
        "n_note": "n = antal som tog ställning",
        "dont_know_note": "Vet ej: {items}",
        "blank_note": "Ej svar: {items}",
        "ineligible_note": "{n} svar från personer som inte svarat ja på föregående fråga redovisas ändå.",
        "conditional_note": "Följdfråga till ”{question}”, besvaras av dem som svarade {answers}.",
        "suppressed_row": "{label}: färre än {threshold} svar – redovisas inte",
        "row_label": "{label} (n = {n})",
        "row_label_bench": "{label}, {municipality} {year} (n = {n})",
        "row_label_own": "{label}, {municipality} (n = {n})",
        "bench_title_best": "Jämförelse med {municipality} kommun – av de kommuner som genomfört motsvarande "
                            "enkät och uppnått högst resultat",
        "bench_title": "Jämförelse med {municipality} kommun ({year})",
        "bench_suppressed": "{municipality}: för få svar för jämförelse",
        "no_benchmark": "Ingen jämförelsekommun vald.",
        # gaps
        "gaps_title": "Samsyn – var skiljer sig bilden mellan grupperna?",
        "gaps_lead": "Index 0–100 per grupp (0 = lägsta, 100 = högsta svarsalternativ). Största skillnaderna först.",
        "gaps_differs": "skillnaden är statistiskt säkerställd (p\u00a0=\u00a0{p})",
        "gaps_not_differs": "skillnaden kan bero på slumpen (p\u00a0=\u00a0{p})",
        "gap_line": "{diff} indexenheter – {verdict}",
        "gap_bench_line": "{municipality}: {bench} · median i jämförelsegruppen: {median}",
        "gaps_none": "Inga jämförbara skillnader mellan grupperna (för få svar).",
        "areas_title": "Områdena jämfört med {municipality}",
        "areas_lead": "Index 0–100 för alla svarande per område; strecket är medianen i jämförelsegruppen.",
        "areas_lead_deck": "Index 0–100 för alla svarande per område. Platsen räknas bland {municipality} och jämförelsegruppen.",
        "area_rank": "plats {rank} av {of} · median {median}",
        "area_diff": "{diff} indexenheter mot {municipality}",
        "set_median": "Median i jämförelsegruppen",
        "areas_table_rank": "Plats",
        "areas_table_median": "Median",
        "col_area": "Område",
        "bench_gaps_title": "Största avstånden till {municipality}",
        "bench_gaps_lead": "Skillnad i index 0–100 för alla svarande jämfört med {municipality} {year}; negativt = lägre än {municipality}.",
        "bench_gap_item": "{short}: {diff} indexenheter",
        "gap_table_question": "Fråga",
        "gap_table_here": "Skillnad mellan grupperna här",
        "gap_table_bench": "Skillnad hos {municipality}",
        "gap_table_median": "Median i jämförelsegruppen",
        # comments
        "comments_title": "Skriftliga kommentarer, sammanfattning",
        "comments_box": "{box}",
        "comment_bullet": "{statement}",  # nlp writes "6 av 7 tjänstepersoner som skriver om … är kritiska: ”…”"
        "comments_none": "Inga sammanfattade kommentarer.",
        "comments_suppressed": "Färre än {threshold} kommenterade – redovisas inte.",
        # dialogue
        "dialogue_title": "Dialog",
        "dialogue_prompt_hint": "Diskutera i grupp. Skriv ett förslag per lapp.",
        "dialogue_results_title": "Resultat från dialogen",
        "first_step_title": "Vad är vårt första steg?",
        "kind_atgard": "Förslag till åtgärd",
        "kind_problem": "Problem",
        "kind_fraga": "Öppna frågor",
        "cluster_item": "{label} ({count} lappar)",
        "rank_item": "{rank}. {label} ({count} lappar)",
        "cluster_item_one": "{label} (1 lapp)",
        "rank_item_one": "{rank}. {label} (1 lapp)",
        "votes_item": "{count} prickar",
        "votes_item_one": "1 prick",
        # follow-up of actions decided earlier
        "followup_title": "Uppföljning av åtgärder",
        "followup_title_more": "Uppföljning av åtgärder (forts.)",
        "followup_lead": "Åtgärder som beslutats tidigare och hur deras område har förändrats sedan dess "
                         "(index 0–100).",
        "followup_meta": "{area} · beslutad {year} · ansvarig: {owner} · {status}",
        "followup_no_owner": "ej angiven",
        "followup_status_open": "pågår",
        "followup_status_done": "genomförd",
        "followup_all": "Alla svarande: index {then} ({year_then}) → {now} ({year_now}), {change} indexenheter; {verdict}.",
        "followup_all_suppressed": "Alla svarande: kan inte jämföras (färre än {threshold} svar i någon grupp "
                                   "i en av mätningarna).",
        "followup_not_measured": "Området mättes inte i både {then} och {now} och kan inte följas upp.",
        "followup_sig": "förändringen är större än vad slumpen brukar ge ({p})",
        "followup_not_sig": "förändringen kan bero på slumpen ({p})",
        "followup_group": "{group}: {change}{star}",
        "followup_group_suppressed": "{group}: färre än {threshold} svar",
        "followup_star_note": "* större än vad slumpen brukar ge (p < 0,05).",
        "followup_caveat": "Förändringen visar hur området har rört sig sedan åtgärden beslutades – inte att "
                           "åtgärden orsakade den. Annat som hänt, nya förtroendevalda och vilka som svarade "
                           "påverkar också.",
        "followup_method": "Förändringen prövas med ett z-test på områdets index mellan de två mätningarna, med "
                           "ett försiktigt räknat standardfel (p < 0,05).",
        # method
        "method_title": "Metod och anonymitet",
        "method_instrument": "Enkät: {instrument} (version {version}).",
        "method_scale": "Svarsskala: Nej · Till liten del · Till viss del · Till stor del, samt Vet ej. "
                        "Procent räknas på dem som tog ställning; Vet ej redovisas separat.",
        "method_percent": "Procent avrundas till heltal så att varje stapel summerar till 100 %.",
        "method_index": "Index 0–100: medelvärdet på skalan omräknat så att 0 är lägsta och 100 högsta svarsalternativ.",
        "method_threshold": "Anonymitet: grupper med färre än {threshold} svar redovisas inte, och inte heller "
                            "totalen när en grupp döljs.",
        "method_comments": "Kommentarer visas avidentifierade: namn och andra personuppgifter är ersatta, t.ex. [NAMN].",
        "method_test": "Skillnader mellan grupperna prövas med Mann–Whitney U-test (p < 0,05).",
        "method_generated": "Skapad {generated} av Tillit.",
        "footer": "{municipality} {year} · Samspel politik–förvaltning",
        # report
        "report_title": "Samspel politik–förvaltning",
        "report_subtitle": "Rapport för {municipality} {year}",
        "report_generated": "Sammanställd {date} med Tillit",
        "summary_title": "Sammanfattning",
        "summary_strongest": "Starkast område: {label} (index {index}).",
        "summary_weakest": "Svagast område: {label} (index {index}).",
        "summary_gap": "Största skillnad mellan grupperna: {short} – {g1} {i1}, {g2} {i2} (index).",
        "summary_bench_gap": "Största avstånd till {municipality}: {short} ({diff} indexenheter).",
        "and": " samt ",  # area labels contain "och" themselves
        "summary_placed": "Bland {n} kommuner (jämförelsegruppen och {municipality}) placerar sig {municipality} bäst på "
                          "{best} (plats {best_rank}) och sämst på {worst} (plats {worst_rank}).",
        "summary_ranked": "Områden rangordnade efter index (alla svarande):",
        "method_heading": "Metod",
        "results_heading": "Resultat per område",
        "dimension_index": "Index för området: {items}.",
        "table_answer": "Svar",
        "table_n": "Antal som tog ställning",
        "table_dont_know": "Vet ej",
        "table_index": "Index 0–100",
        "benchmark_heading": "Jämförelse och utveckling över tid",
        "benchmark_set": "Jämförelsegrupp: {items}.",
        "bench_table_here": "{municipality}",
        "bench_table_diff": "Skillnad",
        "bench_table_percentile": "Percentil",
        "trend_heading": "Utveckling över tid",
        "trend_none": "Ingen tidigare mätning finns för jämförelse.",
        "trend_table_prev": "Tidigare ({year})",
        "trend_table_now": "Nu ({year})",
        "trend_table_change": "Förändring",
        "comments_heading": "Kommentarernas teman",
        "quote": "”{quote}”",
        "dialogue_heading": "Resultat från dialogen",
        "dialogue_prompts_heading": "Frågor till dialogen",
        "appendix_heading": "Bilaga: alla kommentarer (avidentifierade)",
        "appendix_none": "Inga kommentarer.",
        "yes": "ja",
        "p_value": "p\u00a0=\u00a0{p}",
        "index_axis": "Index 0–100",
        "percent_axis": "Andel (%)",
    },
    "en": {
        "deck_title": "Politics–administration interplay",
        "deck_subtitle": "{municipality} {year} · Results and workshop material",
        "purpose_title": "Purpose and basis",
        "purpose_text": "The purpose is a shared picture of how elected representatives and officials "
                        "govern together – and agreement on what we do next.",
        "basis_intro": "Basis: the survey {instrument}",
        "basis_group": "{n} {label}",
        "basis_group_suppressed": "{label}: fewer than {threshold} answers – not reported",
        "basis_total": "{n} respondents in total",
        "synthetic_data": "Synthetic data – not a real municipality",
        "synthetic_benchmark": "SYNTHETIC BENCHMARK DATA",
        "answered_by": "Share of those who took a position",
        "n_note": "n = number who took a position",
        "dont_know_note": "Don't know: {items}",
        "blank_note": "No answer: {items}",
        "ineligible_note": "{n} answers from people who did not answer yes to the previous question are included.",
        "conditional_note": "Follow-up to “{question}”, for those who answered {answers}.",
        "suppressed_row": "{label}: fewer than {threshold} answers – not reported",
        "row_label": "{label} (n = {n})",
        "row_label_bench": "{label}, {municipality} {year} (n = {n})",
        "row_label_own": "{label}, {municipality} (n = {n})",
        "bench_title_best": "Compared with {municipality} – the highest results among the municipalities "
                            "that ran the same survey",
        "bench_title": "Compared with {municipality} ({year})",
        "bench_suppressed": "{municipality}: too few answers to compare",
        "no_benchmark": "No benchmark municipality chosen.",
        "gaps_title": "Shared view – where do the groups see things differently?",
        "gaps_lead": "Index 0–100 per group (0 = lowest, 100 = highest answer). Largest differences first.",
        "gaps_differs": "the difference is statistically significant (p\u00a0=\u00a0{p})",
        "gaps_not_differs": "the difference may be due to chance (p\u00a0=\u00a0{p})",
        "gap_line": "{diff} index points – {verdict}",
        "gap_bench_line": "{municipality}: {bench} · benchmark set median: {median}",
        "gaps_none": "No comparable differences between the groups (too few answers).",
        "areas_title": "The areas compared with {municipality}",
        "areas_lead": "0–100 index for all respondents per area; the line is the benchmark set's median.",
        "areas_lead_deck": "0–100 index for all respondents per area. The rank is among {municipality} and the benchmark set.",
        "area_rank": "rank {rank} of {of} · median {median}",
        "area_diff": "{diff} index points against {municipality}",
        "set_median": "Median of the benchmark set",
        "areas_table_rank": "Rank",
        "areas_table_median": "Median",
        "col_area": "Area",
        "bench_gaps_title": "Largest distances to {municipality}",
        "bench_gaps_lead": "Difference in the 0–100 index for all respondents compared with {municipality} {year}; negative = lower than {municipality}.",
        "bench_gap_item": "{short}: {diff} index points",
        "gap_table_question": "Question",
        "gap_table_here": "Difference between the groups here",
        "gap_table_bench": "Difference in {municipality}",
        "gap_table_median": "Median of the benchmark set",
        "comments_title": "Written comments, summary",
        "comments_box": "{box}",
        "comment_bullet": "{statement}",
        "comments_none": "No summarised comments.",
        "comments_suppressed": "Fewer than {threshold} commented – not reported.",
        "dialogue_title": "Dialogue",
        "dialogue_prompt_hint": "Discuss in groups. One suggestion per note.",
        "dialogue_results_title": "Results of the dialogue",
        "first_step_title": "What is our first step?",
        "kind_atgard": "Proposed actions",
        "kind_problem": "Problems",
        "kind_fraga": "Open questions",
        "cluster_item": "{label} ({count} notes)",
        "rank_item": "{rank}. {label} ({count} notes)",
        "cluster_item_one": "{label} (1 note)",
        "rank_item_one": "{rank}. {label} (1 note)",
        "votes_item": "{count} dots",
        "votes_item_one": "1 dot",
        "followup_title": "Follow-up of actions",
        "followup_title_more": "Follow-up of actions (cont.)",
        "followup_lead": "Actions decided earlier and how their area has changed since (index 0–100).",
        "followup_meta": "{area} · decided {year} · owner: {owner} · {status}",
        "followup_no_owner": "not given",
        "followup_status_open": "in progress",
        "followup_status_done": "done",
        "followup_all": "All respondents: index {then} ({year_then}) → {now} ({year_now}), {change} points; {verdict}.",
        "followup_all_suppressed": "All respondents: cannot be compared (fewer than {threshold} answers in a group "
                                   "in one of the waves).",
        "followup_not_measured": "The area was not measured in both {then} and {now} and cannot be followed up.",
        "followup_sig": "the change is larger than chance usually gives ({p})",
        "followup_not_sig": "the change may be due to chance ({p})",
        "followup_group": "{group}: {change}{star}",
        "followup_group_suppressed": "{group}: fewer than {threshold} answers",
        "followup_star_note": "* larger than chance usually gives (p < 0.05).",
        "followup_caveat": "The change shows how the area has moved since the action was decided – not that the "
                           "action caused it. Other events, new representatives and who answered matter too.",
        "followup_method": "The change is tested with a z-test on the area index between the two waves, with a "
                           "conservative standard error (p < 0.05).",
        "method_title": "Method and anonymity",
        "method_instrument": "Survey: {instrument} (version {version}).",
        "method_scale": "Scale: No · To a small extent · To some extent · To a large extent, plus Don't know. "
                        "Percentages are of those who took a position; Don't know is shown separately.",
        "method_percent": "Percentages are rounded to whole numbers so that each bar adds up to 100%.",
        "method_index": "Index 0–100: the scale mean rescaled so that 0 is the lowest and 100 the highest answer.",
        "method_threshold": "Anonymity: groups with fewer than {threshold} answers are not reported, nor is the "
                            "total when a group is hidden.",
        "method_comments": "Comments are shown de-identified: names and other personal data are replaced, e.g. [NAMN].",
        "method_test": "Differences between the groups are tested with the Mann–Whitney U test (p < 0.05).",
        "method_generated": "Generated {generated} by Tillit.",
        "footer": "{municipality} {year} · Politics–administration interplay",
        "report_title": "Politics–administration interplay",
        "report_subtitle": "Report for {municipality} {year}",
        "report_generated": "Compiled {date} with Tillit",
        "summary_title": "Summary",
        "summary_strongest": "Strongest area: {label} (index {index}).",
        "summary_weakest": "Weakest area: {label} (index {index}).",
        "summary_gap": "Largest difference between the groups: {short} – {g1} {i1}, {g2} {i2} (index).",
        "and": " as well as ",  # area labels contain "and" themselves
        "summary_placed": "Among {n} municipalities (the benchmark set and {municipality}), {municipality} ranks best on "
                          "{best} (rank {best_rank}) and worst on {worst} (rank {worst_rank}).",
        "summary_bench_gap": "Largest distance to {municipality}: {short} ({diff} index points).",
        "summary_ranked": "Areas ranked by index (all respondents):",
        "method_heading": "Method",
        "results_heading": "Results per area",
        "dimension_index": "Index for the area: {items}.",
        "table_answer": "Answer",
        "table_n": "Number who took a position",
        "table_dont_know": "Don't know",
        "table_index": "Index 0–100",
        "benchmark_heading": "Benchmark and trend",
        "benchmark_set": "Benchmark set: {items}.",
        "bench_table_here": "{municipality}",
        "bench_table_diff": "Difference",
        "bench_table_percentile": "Percentile",
        "trend_heading": "Trend",
        "trend_none": "No earlier wave to compare with.",
        "trend_table_prev": "Before ({year})",
        "trend_table_now": "Now ({year})",
        "trend_table_change": "Change",
        "comments_heading": "Comment themes",
        "quote": "“{quote}”",
        "dialogue_heading": "Results of the dialogue",
        "dialogue_prompts_heading": "Dialogue prompts",
        "appendix_heading": "Appendix: all comments (de-identified)",
        "appendix_none": "No comments.",
        "yes": "yes",
        "p_value": "p\u00a0=\u00a0{p}",
        "index_axis": "Index 0–100",
        "percent_axis": "Share (%)",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    """The catalogue string `key` in `lang`, formatted with `values`."""
    table = TEXTS.get(lang, TEXTS["sv"])
    return table[key].format(**values)


def notes_item(lang: str, key: str, count: int, **values: object) -> str:
    """A pile line with its number of notes: "(1 lapp)" for one, "(3 lappar)" for more."""
    return t(lang, f"{key}_one" if count == 1 else key, count=count, **values)


def pile_item(lang: str, key: str, cluster: at.Cluster, **values: object) -> str:
    """A pile line with its notes and, when the room voted, its dots: "1. X (2 lappar) · 3 prickar"."""
    line = notes_item(lang, key, cluster.get("count", 0), label=cluster.get("label", ""), **values)
    votes = cluster.get("votes")
    if votes is None:
        return line
    return f"{line} · {notes_item(lang, 'votes_item', int(votes))}"


def p_text(p: float | None, lang: str) -> str:
    """"p = 0,012" or "p < 0,001"."""
    shown = pvalue(p, lang)
    return f"p{NBSP}{shown.replace(' ', NBSP)}" if shown.startswith("<") else f"p{NBSP}={NBSP}{shown}"


def pct(value: int | float | None, lang: str) -> str:
    """A whole percent as shown: "74 %" (Swedish, no-break space) or "74%"."""
    if value is None:
        return "–"
    return f"{int(round(value))}{NBSP}%" if lang != "en" else f"{int(round(value))}%"


def dec(value: float | None, lang: str, digits: int = 1, signed: bool = False) -> str:
    """A decimal number with a decimal comma in Swedish ("41,2"); "–" for None."""
    if value is None:
        return "–"
    s = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    s = s.replace("-", "\u2212")  # a real minus sign
    return s.replace(".", ",") if lang != "en" else s


def pvalue(p: float | None, lang: str) -> str:
    if p is None:
        return "–"
    if p < 0.001:
        return "< 0,001" if lang != "en" else "< 0.001"
    return dec(p, lang, 3)


_LINE_BREAKS = re.compile("[\x0b\x0c\u2028\u2029]")  # Word's manual line break arrives as a vertical tab
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: object) -> str:
    """`text` with line-break controls as newlines and every other character XML 1.0 cannot hold
    (NUL, ESC, lone surrogates …) removed. Every string that goes into the deck or the report
    passes here, so a stray control character in a comment never stops a document."""
    s = "" if text is None else str(text)
    return _NOT_XML.sub("", _LINE_BREAKS.sub("\n", s))


def percent_number_format(lang: str) -> str:
    """Excel number format for chart data labels holding whole percents (not fractions)."""
    return '0" %"' if lang != "en" else '0"%"'
