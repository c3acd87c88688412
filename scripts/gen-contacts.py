#!/usr/bin/env python3
"""Writes a Google-Contacts-like CSV of N made-up contacts to stdout, for import benchmarks.

Usage: scripts/gen-contacts.py 100000 > /tmp/contacts-100k.csv
       scripts/gen-contacts.py 100000 --json > /tmp/book-100k.json   (a salesdesk JSON export:
           N contacts with one open follow-up each, half all-day and half timed)
Deterministic (seeded), so figures are comparable between runs.
"""
import json
import csv
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
rnd = random.Random(7)
first = ["Ana", "Bo", "Carla", "Dmitri", "Eve", "Farah", "Gus", "Hana", "Ivo", "José", "Kim",
         "Lea", "Mia", "Nils", "Olu", "Priya", "Quinn", "Renée", "Sam", "Tao", "Uma", "Zoë",
         "Aiko", "Bruno", "Chloé", "Dario", "Elif", "Femi", "Greta", "Hugo", "Inès", "Jonas",
         "Kofi", "Lina", "Mateo", "Nadia", "Oskar", "Paula", "Rafael", "Sofia", "Tomás", "Vera",
         "Wen", "Xavier", "Yara", "Zane", "Amir", "Bea", "Cyrus", "Daphne", "Emil", "Freya"]
last = ["Pereira", "Li", "Schmidt", "Ivanov", "Nguyen", "Khan", "Lee", "Sato", "Petrov",
        "Álvarez", "Kim", "Dubois", "Ortiz", "Berg", "Ade", "Shah", "Fox", "Müller", "Rossi",
        "Novak", "Silva", "Tanaka", "Okafor", "Jensen", "Kowalski", "García", "Haddad", "Nakamura",
        "Larsen", "Moreau", "Costa", "Yilmaz", "Park", "Singh", "Walsh", "Romero", "Weber",
        "Eriksson", "Mensah", "Chen", "Popescu", "Horvat", "Dimitrov", "Santos", "Fischer"]
# A middle initial makes names about as varied as a real book's (~60,000 combinations).
initials = "ABCDEFGHJKLMNPRSTVW"
if "--json" in sys.argv:
    t = "2026-11-23T09:00:00+00:00"
    contacts, follow_ups = [], []
    for i in range(1, n + 1):
        f, l = rnd.choice(first), rnd.choice(last)
        contacts.append({"id": i, "name": f"{f} {l}", "emails": [f"{f.lower()}.{i}@example.com"],
                         "phones": [f"+1 555 {i:07d}"], "tags": ["clients"], "status": "lead",
                         "archived": False, "created_at": t, "updated_at": t, "version": 1})
        day = 24 + i % 7
        timed = i % 2 == 0
        follow_ups.append({"id": i, "contact_id": i, "kind": "call", "text": f"call about order {i}",
                           "due_at": f"2026-11-{day}T{9 + i % 8:02}:30:00+00:00" if timed else f"2026-11-{day}",
                           "all_day": not timed, "status": "upcoming",
                           "created_at": t, "updated_at": t, "version": 1})
    json.dump({"format": "salesdesk-book", "version": 1, "contacts": contacts,
               "follow_ups": follow_ups}, sys.stdout)
    sys.exit(0)

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["First Name", "Last Name", "E-mail 1 - Value", "Phone 1 - Value",
            "Organization Name", "Organization Title", "Labels", "Notes"])
for i in range(n):
    f, l = f"{rnd.choice(first)} {rnd.choice(initials)}.", rnd.choice(last)
    company = f"Company {rnd.randrange(5000)}"
    note = "Met at the fair.\nWants a demo." if i % 10 == 0 else ""
    w.writerow([f, l, f"{f.split()[0].lower()}.{i}@example.com", f"+1 555 {i:07d}", company,
                rnd.choice(["CEO", "CTO", "Buyer", "VP Sales", ""]),
                "* myContacts ::: " + rnd.choice(["Clients", "Leads", "Partners"]), note])
