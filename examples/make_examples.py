"""Generate the bundled example data: the fictional municipality Lindbacka (SYNTHETIC).

Everything written here is invented: the municipality, the answers, the comments (the
names, e-mail addresses and phone numbers in them are made up, to show the redaction),
the benchmark municipalities and the workshop notes. Run it again to rebuild the files:

    python examples/make_examples.py

The output is deterministic (fixed seed), so the committed files equal a fresh run.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
SEED = 20251
S4 = ["Nej", "Till liten del", "Till viss del", "Till stor del"]

QUESTIONS = [
    ("roll_ansvar", "Anser du att det i kommunen finns en tydlig roll- och ansvarsfördelning mellan förtroendevalda och tjänstepersoner?"),
    ("tillit", "Anser du att det finns en hög grad av tillit mellan förtroendevalda och tjänstepersoner i kommunen?"),
    ("kultur", "Anser du att de flesta förtroendevalda och tjänstepersoner i din kommun har en gemensam kultur och ett förhållningssätt som gynnar hög effektivitet, det vill säga låg resursförbrukning och god kvalitet för brukarna?"),
    ("vision", "Finns det i kommunen en tydligt beskriven övergripande vision/strategi som anger riktningen som kommunen strävar mot?"),
    ("vision_innehall", "Om du svarade ja – kan du redogöra för innehållet?"),
    ("malstyrning", "Anser du att kommunen har en bra modell för målstyrning, där målen tydligt anger riktning?"),
    ("uppfoljning_ekonomi", "Anser du att din kommun har en bra modell för uppföljning och analys av ekonomi som grund för utveckling och förbättring?"),
    ("uppfoljning_kvalitet", "Anser du att kommunen har en bra modell för uppföljning och analys av kvalitet som grund för utveckling och förbättring?"),
]
BOXES = [
    ("kommentar_roller_tillit", "Kommentarer om roller, ansvar och tillit"),
    ("kommentar_mal", "Kommentarer om vision och målstyrning"),
    ("kommentar_ekonomi", "Kommentarer om uppföljning och analys av ekonomi"),
    ("kommentar_kvalitet", "Kommentarer om uppföljning och analys av kvalitet"),
    ("kommentar_ovrigt", "Övriga kommentarer"),
]

# Invented comments, written for this example. Some carry invented personal data on purpose.
COMMENTS = {
    ("kommentar_roller_tillit", "politiker"): [
        "Vi får sällan mer än ett beslutsförslag och känner oss ibland överkörda av förvaltningen.",
        "Gränsen mellan vad och hur är otydlig, särskilt i byggnadsnämnden.",
        "Tilliten har blivit bättre sedan vi började med gemensamma dialogmöten.",
        "Som fritidspolitiker hinner jag inte läsa alla handlingar, då styr i praktiken tjänstepersonerna.",
        "Kommundirektören Maria Holm är lyhörd, men informationen kommer ofta sent.",
        "Ibland upplever jag att förvaltningen inte vill att vi ska ställa frågor.",
        "Rollerna är tydliga i reglementet men inte i vardagen.",
        "-",
    ],
    ("kommentar_roller_tillit", "tjansteperson"): [
        "Politiker går direkt till enskilda medarbetare med detaljfrågor i stället för att gå via chefen.",
        "Det saknas förtroende för vår professionella bedömning i flera nämnder.",
        "Samarbetet med presidiet fungerar bra och vi har en öppen dialog.",
        "Vi behöver tydligare uppdrag från politiken, inte detaljstyrning.",
        "Det finns en misstro mot förvaltningen som gör att vi lägger mycket tid på att förklara oss.",
        "Ring gärna mig för mer information: 070-412 33 95, Johan på ekonomi.",
        "Roll- och ansvarsfördelningen behöver diskuteras i en gemensam utbildning.",
        "Vet ej",
    ],
    ("kommentar_mal", "politiker"): [
        "Visionen är så allmänt formulerad att alla kan hålla med men ingen styrs av den.",
        "Vi har för många mål och de följs inte upp på ett sätt som säger något.",
        "Målen i budgeten borde vara färre och mätbara.",
        "Strategin för 2030 är bra, men den är okänd ute i verksamheterna.",
    ],
    ("kommentar_mal", "tjansteperson"): [
        "Målstyrningen är mest en pappersprodukt som tar mycket tid.",
        "Nämndernas mål hänger inte ihop med kommunfullmäktiges mål.",
        "Det är oklart vilka mål som ska prioriteras när resurserna inte räcker.",
        "Visionen används faktiskt i vår verksamhetsplanering och ger riktning.",
        "Mejla anna.berg@lindbacka.example om ni vill se vår modell för målnedbrytning.",
    ],
    ("kommentar_ekonomi", "politiker"): [
        "Ekonomirapporterna kommer för sent för att vi ska kunna agera.",
        "Vi får bra prognoser men för lite analys av varför avvikelserna uppstår.",
        "Budgetuppföljningen är tydlig och har blivit bättre de senaste åren.",
    ],
    ("kommentar_ekonomi", "tjansteperson"): [
        "Uppföljningen av ekonomi fungerar väl, men kopplingen till kvalitet saknas.",
        "Politiken efterfrågar sällan analysen, bara siffrorna.",
        "Vi lägger mycket tid på manuella sammanställningar i Excel.",
        "Det saknas resurser på ekonomienheten för fördjupade analyser.",
    ],
    ("kommentar_kvalitet", "politiker"): [
        "Vi vet för lite om kvaliteten i verksamheterna, mest om kostnaderna.",
        "Brukarundersökningarna borde presenteras för nämnden varje år.",
        "Kvalitetsuppföljningen är bristfällig inom äldreomsorgen.",
    ],
    ("kommentar_kvalitet", "tjansteperson"): [
        "Det finns ingen gemensam modell för kvalitetsuppföljning i kommunen.",
        "Kvalitetsmåtten är många men används sällan i besluten.",
        "Vi följer kvalitet bra inom skolan, sämre inom socialtjänsten.",
    ],
    ("kommentar_ovrigt", "politiker"): [
        "Bra att enkäten görs, vi borde göra den vartannat år.",
        "Inga kommentarer",
    ],
    ("kommentar_ovrigt", "tjansteperson"): [
        "Hoppas resultatet leder till konkreta åtgärder och inte bara ett seminarium.",
        "se ovan",
    ],
}

# Answer propensities per group (probabilities over Nej..Till stor del) for Lindbacka.
PROFILE = {
    "politiker": [0.12, 0.38, 0.38, 0.12],
    "tjansteperson": [0.15, 0.40, 0.33, 0.12],
}

BENCHMARKS = [  # (municipality, year, shift towards higher answers, respondents per group)
    ("Solberga", 2024, 0.9, (26, 29)),
    ("Solberga", 2022, 0.6, (28, 30)),
    ("Granås", 2024, 0.1, (33, 31)),
    ("Norrström", 2023, -0.2, (35, 33)),
    ("Västerliden", 2024, 0.3, (30, 36)),
    ("Åkerby", 2023, -0.4, (38, 40)),
]

DIALOGUE = [
    ("forbattra_samspel", "Gemensamma frukostmöten för politiker och chefer varje månad"),
    ("forbattra_samspel", "Frukostmöte politik och förvaltning en gång i månaden"),
    ("forbattra_samspel", "Utbildning om roller: vad och hur, för både nämnd och förvaltning"),
    ("forbattra_samspel", "Gemensam rollutbildning för nya ledamöter och chefer"),
    ("forbattra_samspel", "Varför når informationen inte fram till nämnderna i tid?"),
    ("forbattra_samspel", "Politiker kontaktar medarbetare direkt i stället för att gå via chefen"),
    ("forbattra_samspel", "Tydlig kontaktväg: alltid via förvaltningschefen"),
    ("forbattra_styrning", "Färre och mätbara mål i budgeten"),
    ("forbattra_styrning", "Minska antalet mål, max fem per nämnd"),
    ("forbattra_styrning", "Hur kopplar vi kvalitet till ekonomin i uppföljningen?"),
    ("forbattra_styrning", "Ekonomirapporterna kommer för sent"),
    ("forbattra_styrning", "Gemensam visionsdag för kommunstyrelsen och ledningsgruppen"),
    ("gemensam_bild", "Visionsdag för KS och ledningsgrupp"),
    ("gemensam_bild", "Ta fram en gemensam bild av 2030 tillsammans"),
]


def _answer(rng: random.Random, probs: list[float], shift: float = 0.0) -> str:
    weights = [p * (1.0 + shift) ** i for i, p in enumerate(probs)]
    return rng.choices(S4, weights=weights)[0]


def make_export(path: Path, rng: random.Random) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Svars-ID", "Startad", "Slutförd", "Namn", "E-post",
               "Är du förtroendevald eller tjänsteperson?", *[q for _, q in QUESTIONS], *[b for _, b in BOXES]])
    start = dt.datetime(2025, 3, 3, 8, 0)
    pools = {k: list(v) for k, v in COMMENTS.items()}
    rows = [("politiker", i) for i in range(31)] + [("tjansteperson", i) for i in range(27)]
    rng.shuffle(rows)
    for n, (group, _) in enumerate(rows, start=1):
        t0 = start + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 10))
        answers = {}
        for qid, _ in QUESTIONS:
            if qid == "vision":
                answers[qid] = "Ja" if rng.random() < (0.74 if group == "politiker" else 0.61) else "Nej"
            elif qid == "vision_innehall" and answers["vision"] == "Nej" and rng.random() < 0.85:
                answers[qid] = None
            else:
                r = rng.random()
                answers[qid] = None if r < 0.02 else ("Vet ej" if r < 0.06 else _answer(rng, PROFILE[group]))
        comments = []
        for box, _ in BOXES:
            pool = pools.get((box, group), [])
            comments.append(pool.pop() if pool and rng.random() < 0.45 else None)
        ws.append([100000 + n, t0, t0 + dt.timedelta(minutes=rng.randint(4, 30)),
                   None, None,  # the survey tool's name and e-mail columns: empty here, dropped on read anyway
                   "Förtroendevald" if group == "politiker" else "Tjänsteperson",
                   *[answers[q] for q, _ in QUESTIONS], *comments])
    wb.save(path)


def make_benchmarks(path: Path, rng: random.Random) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["kommun", "ar", "fraga", "grupp", "svarsalternativ", "antal", "svarande"])
        for name, year, shift, (n_pol, n_tj) in BENCHMARKS:
            for group, n in (("politiker", n_pol), ("tjansteperson", n_tj)):
                vision = {}
                for qid, _ in QUESTIONS:
                    counts: dict[str, int] = {}
                    for i in range(n):
                        if qid == "vision":
                            a = "Ja" if rng.random() < min(0.95, 0.6 + 0.15 * shift) else "Nej"
                            vision[i] = a
                        elif qid == "vision_innehall" and vision.get(i) == "Nej":
                            a = "(blank)"
                        else:
                            r = rng.random()
                            a = "(blank)" if r < 0.02 else ("Vet ej" if r < 0.05 else _answer(rng, PROFILE[group], shift))
                        counts[a] = counts.get(a, 0) + 1
                    for label, k in sorted(counts.items()):
                        w.writerow([name, year, qid, group, label, k, n])


def make_dialogue(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "prompt_id", "note"])
        for i, (prompt, note) in enumerate(DIALOGUE, start=1):
            w.writerow([f"N{i:03d}", prompt, note])


def main() -> None:
    rng = random.Random(SEED)
    make_export(HERE / "lindbacka_2025_enkat.xlsx", rng)
    make_benchmarks(HERE / "jamforelsekommuner_syntetiska.csv", rng)
    make_dialogue(HERE / "lindbacka_2025_dialog.csv")
    print(f"Wrote the synthetic example files to {HERE}")


if __name__ == "__main__":
    main()
