"""The failure families found on outside text (issue 8), one or more cases of our own for each.

Every case here failed on the guard before issue 8 (census lists + rules); all identifiers are
invented. `secret` must be wholly masked; the clean lines must come back unchanged.
"""

from __future__ import annotations

import pytest

from feedback.phi import Masked, Span, mask, scan


def _hidden(text: str, secret: str) -> None:
    masked = mask(text).text
    for part in secret.split():
        assert part.strip(",.") not in masked, (part, masked)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # names with no cue word: as a subject, after a verb, in a list
        ("follow up with Kwabena Asante next month about the pump", "Kwabena Asante"),
        ("Thandiwe Mokoena waited 3 h for the echo", "Thandiwe Mokoena"),
        (
            "on the call list: Ines Ferrante, Ruairi Doyle and Mei Lin Tan",
            "Ines Ferrante Ruairi Doyle",
        ),
        ("Okonjo refused the 2200 dose again", "Okonjo"),
        # staff names too; the role stays readable
        ("Dr. Sarah Chen and Nurse Kelly rounded late", "Sarah Chen Kelly"),
        ("Charge RN Maria Lopez reported the board lag", "Maria Lopez"),
        # lower-case after "pt"; a room tied to "Mr. Lee"
        ("pt garcia asked for the interpreter twice", "garcia"),
    ],
)
def test_names_without_cues_and_staff_names_are_masked(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Wiśniewski waited for transport since 0900", "Wiśniewski"),
        ("daughter Zdeňka Dvořáková called twice", "Zdeňka Dvořáková"),
        ("billing asked Núñez-Ibáñez to call back", "Núñez-Ibáñez"),
        ("Mr. Nguyễn Văn Hùng needs a Vietnamese interpreter", "Nguyễn Văn Hùng"),
        ("family of Łukasz Żółkiewski asked for the chaplain", "Łukasz Żółkiewski"),
        ("handoff: Đặng Thu Hà refused the scan", "Đặng Thu Hà"),
        ("visitor 李秀英 asked for the wifi code", "李秀英"),
    ],
)
def test_non_ascii_names_are_masked_whole(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("NAME: Szczepańska, Bożena\nbrought in by EMS", "Szczepańska Bożena"),
        ("Name:\tQuillon Ashgrove", "Quillon Ashgrove"),
        ("Patient: Thistlewood-Mbeki, Oona, fall at home", "Thistlewood-Mbeki Oona"),
        ("HALVORSEN,INGRID   4471-22-90-3   VISIT DATE: 03/02", "HALVORSEN INGRID 4471-22-90-3"),
    ],
)
def test_labelled_fields_and_headers_are_masked(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("chart pulled under mrn 48213 by mistake", "48213"),
        ("scanner read mrn:4821 from the old band", "4821"),
        ("acct#5521 merged into the wrong encounter", "5521"),
        ("wristband shows 4471-22-90-3 under the barcode", "4471-22-90-3"),
    ],
)
def test_short_glued_and_oddly_dashed_record_numbers_are_masked(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("reach the family on 555-201-3344-Office or 555-201-9988-Cell", "201-3344 201-9988"),
        ("Fax:555.201.7731, Office-555-201-7730", "201.7731 201-7730"),
        ("daughter in Dublin: +353 87 123 4567", "+353 87 123 4567"),
        ("son abroad +44 (0)20 7946 0958 never answers", "7946 0958"),
        ("wife's mobile 0612 345 678, call after 1800", "0612 345 678"),
    ],
)
def test_glued_several_and_international_phones_are_masked(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("lives on Juniper Hollow Lane with her son", "Juniper Hollow Lane"),
        ("Apt 4B, 1420 Maple Ave, Springfield, IL 62704", "4B 1420 Maple"),
        ("son's address PSC 1234, Box 5678, APO AE 09012", "1234 5678 09012"),
        ("mail to Unit 8906 Box 8288\nDPO AA 34021", "8906 8288 34021"),
        ("USNS Comfort\nFPO AE 09561 is his ship", "Comfort 09561"),
        ("lives at 88 Quarry Bend\nMillbrook, NY 12545", "88 Quarry Bend Millbrook 12545"),
        ("moved to Via Garibaldi 12, Torino", "Garibaldi 12"),
    ],
)
def test_addresses_without_number_military_and_multi_line_are_masked(
    text: str, secret: str
) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "Glasgow 14, Braden 12, Morse 45, Apgar 8/9, Foley day 3",
        "Whipple on day 2, Swan-Ganz pulled, Parkinson's meds late again",
        "Epic, Cerner, Pyxis, Omnicell and Vocera all slow on 4 West",
        "MICU and SICU share one Alaris pump pool since March",
        "Pt: NG tube out overnight, replaced 0300",
        "Rapid Response called twice; Code Blue cart restocked at 0700",
        "Mark Complete greyed out; Will Call queue 14; Grace period 60 min",
        "Huddle board shows 26 patients, 3 RNs short, 0700-1900",
        "Go-live for the Discharge Navigator is 2026-04-01",
        "the CNAs and WOWs were moved to 6 South at 0200-0330",
        "Order set v2.3 on Cerner PowerChart build 2024.08; MyChart and FirstNet slow",
        "IntelliVue and CareScape monitors page through TigerConnect, Spok on nights",
    ],
)
def test_clinical_language_is_left_untouched(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


# --- issue 8, second pass: addresses and identifiers in more shapes (cases of our own) ---------


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # house number after a street name with no street word, a town after the comma
        ("daughter lives at Kvistbakka 41, Hvolsvollur", "Kvistbakka 41 Hvolsvollur"),
        ("send the forms to Guayabos 6512 before Friday", "Guayabos 6512"),
        ("family address: Pod Sádkami 1183", "Sádkami 1183"),
        ("son moved to Hrafnsgata 12", "Hrafnsgata 12"),
        ("he gave Amsel gate 17 as his address", "Amsel 17"),
        ("Városmajor u. 44., Szeged", "Városmajor 44 Szeged"),
        ("new address Via dei Tintori 31, Lucca", "Tintori 31 Lucca"),
        ("C/ Almendro 7, Villanueva del Pardillo", "Almendro 7 Villanueva Pardillo"),
        ("Postbox 318, Ilulissat", "318 Ilulissat"),
        # house number first, street word of another language or none
        ("mail to 27 chemin des Tanneurs, Rouen", "27 Tanneurs Rouen"),
        ("she lives at 88 Rue Ibn Khaldoun", "88 Khaldoun"),
        ("office at 412 Marathonos Str., Larnaca", "412 Marathonos Larnaca"),
        ("home is 3391 Kessington, Halifax", "3391 Kessington Halifax"),
        ("lives at 14 Pohutukawa Rise", "14 Pohutukawa Rise"),
    ],
)
def test_addresses_of_other_countries_are_masked(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("MRN: AB-1234567 on the wrong band", "AB-1234567"),
        ("hospital no. 4471/22 printed twice", "4471/22"),
        ("Med Rec No: 5521987 in the banner", "5521987"),
        ("patient ID X7G99812 scanned at the bedside", "X7G99812"),
        ("chart id:MR-88213 attached", "MR-88213"),
        ("encounter # E2210034 closed early", "E2210034"),
        ("case no 2024-0098 reopened", "2024-0098"),
        ("reach the son on 00445610519-Office", "00445610519"),
    ],
)
def test_identifiers_with_any_cue_and_long_ungrouped_phones_are_masked(
    text: str, secret: str
) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "Bay 12, Pod 4, Room 12 and Pyxis 3 all on 4 West; MICU 2 full",
        "bed 3B Station 4 called; Braden 14, GCS 15, Morse 45 at 0700",
        "Keppra 500 and Zofran 4 given late; Lasix 40 mg at 0900",
        "unit no. 4 is busy, visit number 3 today, ref range 3.5-5.0",
        "Huddle 2 moved to 1400. Epic 2024 upgrade, Vocera 3 badges",
        "Okonjo 2 days ago? no: the 12 patients on Tower 3 waited 40 min",
    ],
)
def test_clinical_numbers_stay_readable(text: str) -> None:
    spans = mask(text)
    if "Okonjo" in text:  # a name is masked, its count is not an address
        assert "2 days" in spans.text and "ADDRESS" not in spans.types
    else:
        assert spans == Masked(text=text, types=[])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # an extension glued to a number with a 001 trunk prefix
        ("call him on 001-555-201-3344x40213 after clinic", "201-3344x40213"),
        ("+1-555-201-8890x321-Office,555-201-4410x88-Fax", "201-8890x321 201-4410x88"),
        # a short number with a glued label; an international number in dashed pairs
        ("mother 61 27 93-Office, father +47 41-22-36-90", "61 27 93 41-22-36-90"),
        # a city on the next line whose name starts like a unit word ("Fl", "Ste")
        ("drove to 2210 Birch Junction\nFlintridge, VT 05401. Please", "Flintridge 05401"),
        # a street with no house number after a preposition
        ("visitors must enter on Harlow Extension St. after 8 pm", "Harlow Extension"),
        ("she walks along Quimby Valleys every morning", "Quimby Valleys"),
        # a street word of another country as a word of its own
        ("his flat: Kamnita ulica 12, Ljubljana", "Kamnita 12"),
    ],
)
def test_extensions_labels_unit_like_cities_and_bare_streets_are_masked(
    text: str, secret: str
) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "pt on Morse Falls precautions since Monday",
        "meds at the Nurses Station drawer, Pyxis at Omnicell Station 2",
        "huddle on Epic Way of working; the Tower wing is 4 West",
        "tablets charged at Central Supply, then up to Main Lab",
    ],
)
def test_wards_stations_and_products_after_prepositions_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


# --- issue 8, fourth pass: address and identifier shapes from the development pool ------------
# (bench/phi_dev_pool.py); cases of our own, each missed by the guard before this pass.


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # US street words the suffix list lacked; a post-directional; a leading flat or level
        ("mailing address 115 Larkspur Via, Dunmore, MD 20601", "115 Larkspur Via Dunmore 20601"),
        ("son is at 58 Calder Street West, West Marsh", "58 Calder Street West Marsh"),
        ("Flat 6 27 Holloway Parade, Brunswick, VIC, 3056", "6 27 Holloway Parade Brunswick 3056"),
        ("Level 3 902 Orrin Lookout\nKelowna, BC V1Y 4N7", "3 902 Orrin Lookout Kelowna V1Y 4N7"),
        # a unit/house number with a slash, Australian and Canadian city lines
        ("lives at 3/14 Wattle Gates\nMossvale, NSW, 2577", "3/14 Wattle Gates Mossvale 2577"),
        # other countries: a comma before the number, slashes, a floor, elisions, Hungarian "u."
        ("new address: Alameda Tereza Sampaio, 418", "Tereza Sampaio 418"),
        ("forwarded to Alban-Kuhn-Weg 14/3", "Alban-Kuhn-Weg 14/3"),
        ("she stays at Piazza Orsola, 12 Piano 3", "Orsola 12 Piano 3"),
        ("mail to 12 rue Jean d'Alembert, Lyon", "12 Jean d'Alembert Lyon"),
        ("moved to Tas vezér u. 62., Fácánkert", "Tas vezér 62 Fácánkert"),
    ],
)
def test_addresses_with_more_street_words_units_and_city_lines_are_masked(
    text: str, secret: str
) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("mrn QX 448213 B on the old band", "QX 448213 B"),
        ("acct ZZ 79 18 30 T merged with the newborn's", "ZZ 79 18 30"),
        ("label said chartMRN8257/49 twice", "8257 /49"),
        ("acct # KRTMRA62C41F205X from the referral", "KRTMRA62C41F205X"),
        ("label said chartMRNHT-4223391 twice", "HT-4223391"),
        # other identifiers of a patient's record after their own cue words
        ("accession # BX-22-10457 sent to path", "BX- 22-10457"),
        ("dictation Job #: 88231 came back late", "88231"),
        ("member ID W88231904 on the insurance card", "W88231904"),
        ("specimen no. S26-4471 mislabeled", "S26-4471"),
    ],
)
def test_spaced_lettered_and_glued_record_numbers_are_masked(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "Tylenol 650 via NG tube at 2200; Zosyn 4.5 via PICC",
        "the 5 Parade of nurses at shift change; Round 2 of huddles at 0800",
        "Braden 12, Morse 45 Close observation; Level 1 Trauma Bay 3",
        "FIN on 12 beds reprinted; encounter at 14 30 closed",
        "order # 3 of 5 pending; order no. 12 and 14 cancelled; policy no. 1203 reviewed",
        "transferred to St. Luke's at 0700; Main St. entrance closed",
    ],
)
def test_doses_counts_and_saints_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


# --- issue 8, fifth pass: a street named with no house number, then a short street word ------
# (bench/phi_dev_pool.py, source "streets"); cases of our own, each missed before this pass.


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("visitors must enter on Miller Green St. after 8 pm", "Miller Green"),
        ("she walked home along Mason Light St.", "Mason Light"),
        ("the van waits on Boyd Cliffs St. by the garage", "Boyd Cliffs"),
        ("drop-off moved to James Club St. for the week", "James Club"),
        # "Via" before a unit word, then the city line
        ("bill to 05446 Meyer Via Suite 731\nJosephstad, NB 24519", "Suite 731 Josephstad 24519"),
        # a town in capitals written with the increment sign for Delta
        ("she moved to Λεωφόρου 26, ΦΛΑΜΟΥ\u2206\u0399 last year", "Λεωφόρου 26 \u2206\u0399"),
    ],
)
def test_street_names_before_a_short_street_word_are_masked(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "huddle at Main St. Clinic lobby at 0700",
        "discharged to St. Vincent's Rehab on Monday",
        "wheelchair left at the Main St. Entrance",
        "tubes sent up to Central Supply via the Rd 2 lift",
        "fentanyl 25 µg IV at 0700, then 50 μg; Tylenol 650 Mg Via NG Suite",
    ],
)
def test_saints_and_entrances_after_prepositions_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("EMPI 10482913 merged with the newborn's", "10482913"),
        ("Reg # 4482913 on the wristband", "4482913"),
        ("Admission #: 8821193 was closed twice", "8821193"),
        ("MPI: 448-2213 on the old label", "448-2213"),
    ],
)
def test_index_registration_and_admission_numbers_are_masked(text: str, secret: str) -> None:
    _hidden(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "regular insulin 10 units at 0700; reg diet",
        "admission 2 days ago, empiric abx at 0700",
        "admitted 3 pts; Admission # 2 tomorrow; unit # 4 West",
    ],
)
def test_admissions_and_regular_doses_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


# --- issue 8, sixth pass: addresses as other countries write them, and record numbers from
# registry generators (bench/phi_dev_pool.py, sources "locales", "mimesis", "ids"); cases of our
# own, each missed before this pass.


def _wholly_masked(text: str, secret: str) -> None:
    """Every letter and digit of each part of `secret` is inside a masked span (a partly masked
    identifier, "[REDACTED-ADDRESS]-8300", is a miss, as in the evaluation)."""
    spans = scan(text)
    for part in secret.split():
        at = text.index(part)
        left = [c for i, c in enumerate(part, at) if c.isalnum() and not _inside(i, spans)]
        assert not left, (part, left, mask(text).text)


def _inside(i: int, spans: list[Span]) -> bool:
    return any(s.start <= i < s.end for s in spans)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # a postcode line after the street: postcode first, town first, several countries' shapes
        ("pt lives at Nádražní ulice 12\n602 00 Brno, has keys", "Nádražní 12 602 00 Brno"),
        ("discharged home to al. Polna 8\n31-042 Kraków today", "Polna 8 31-042 Kraków"),
        ("Address: 14 Harbour Lane, Whitby YO21 3PL", "14 Harbour Lane Whitby YO21 3PL"),
        ("sent to 212 Lorne Avenue\nR3L 0T5 Selkirk", "212 Lorne Avenue R3L 0T5 Selkirk"),
        ("Address: 233 Egevej\nDK-3309 Vejby", "233 Egevej DK-3309 Vejby"),
        ("Address: 5 Kirkevej, Odder DK-8300", "5 Kirkevej Odder DK-8300"),
        ("Address: 19 Maple Way, Gimli R0C 1B0", "19 Maple Way Gimli R0C 1B0"),
        ("letter sent to Via Tasso, 31\n80127, Napoli (NA)", "Tasso 31 80127 Napoli NA"),
        ("mail to 31 Quay Street, Ardee A92 X4K7", "Quay Street Ardee A92 X4K7"),
        # a unit, flat, block or house number before the street
        ("she lives at Studio 4, 12 Cardew Row", "Studio 4 12 Cardew Row"),
        ("Address: Block 7 Lot 12 Mabini Street, Tarlac", "Block 7 Lot 12 Mabini Street"),
        ("family staying at Flat 3, Level 2, 9 Tidewater Parade", "Flat 3 Level 2 9 Tidewater"),
        # lower-case street words before the name, and the house number after a comma
        ("lives at 3, avenue Guyot\n75011 Paris with her son", "3 avenue Guyot 75011 Paris"),
        ("Address: chemin de Cornuz 70, 1009 Pully", "Cornuz 70 1009 Pully"),
        # Australian street words, a house number with a slash or a dash after the street
        ("home: 7/2 Karen Parklands", "7/2 Karen Parklands"),
        ("Address: Mariola-Ring 6-2", "Mariola-Ring 6-2"),
        ("Address: Vinogradska 4b/2", "Vinogradska 4b/2"),
        # a postcode alone on its line, then the town; a bairro line before the postcode
        ("Address: Kerkstraat 12\n1017 GB\nAmsterdam", "Kerkstraat 12 1017 GB Amsterdam"),
        ("Address: Rua das Flores, 96\nJardim Europa\n01310100 Sao Paulo / SP", "96 01310100 SP"),
        # a dashed letter after the house number; block and lot; Dutch and Indonesian words
        ("Address: 412-B Acacia Drive, Lipa, 4217 Batangas", "412-B Acacia Lipa 4217 Batangas"),
        ("Address: B12 L7 Jade Street, Lipa", "B12 L7 Jade Street"),
        ("home: Lindensingel 4, 3011 Rotterdam", "Lindensingel 4 3011 Rotterdam"),
        ("Address: Jl. Merdeka Raya No. 14", "Merdeka Raya 14"),
    ],
)
def test_postcode_lines_units_and_foreign_street_words_complete_the_address(
    text: str, secret: str
) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # cues the rules lacked, and licence-plate-like groups after a cue
        ("Rec # 07V1526 on the label", "07V1526"),
        ("Encounter ID BJ770519 closed", "BJ770519"),
        ("MRN=229 ANB printed twice", "229 ANB"),
        ("Med Rec #: VTE-329", "VTE-329"),
        ("MRN 8IW 406, DOB pending", "8IW 406"),
        # a bare "chart", "MR" or "visit" before five digits or more
        ("chart 81252 pulled for audit", "81252"),
        ("MR: Y30805861 on the sticker", "Y30805861"),
        ("visit 82687670 closed at 1400", "82687670"),
        # a number beside a name with no cue: wristbands, labels, headers
        ("OKAFOR, ADAEZE  88125668  F  67y", "88125668"),
        ("Tomasz Wrona #K2077003 in the queue", "K2077003"),
        ("Patient: Ilse Varga (53081)", "53081"),
        ("60-84/39 - HALVORSEN, PER", "60-84/39"),
        ("Pt: Brandt, Nils | 43-09/20 | Rm 412", "43-09/20"),
        # codes of capitals and digits: after a soft cue, in a label's delimiters, in columns
        ("MR: 418 KTW on the sticker", "418 KTW"),
        ("visit 7K 51203 closed", "7K 51203"),
        ("chart 512-HQP pulled", "512-HQP"),
        ("NOWAK, EWA  VR481206  F  67y", "VR481206"),
        ("02K4471 - DAY, MARTA", "02K4471"),
        ("Pt: Ana Ruiz | 314-QRT | Rm 9", "314-QRT"),
        ("Ewa Nowak #KTZ 417 waiting", "KTZ 417"),
    ],
)
def test_record_numbers_after_new_cues_and_beside_names_are_masked(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "BPA fired 3 times during med rec at 0700 on 4 West",
        "MR: 2+ on the echo, chart 12 reviewed at 1430",
        "visit 2025-03-01 follow-up; visit 1200-1400 window",
        "order #2 was given late; mrn 104 min to print",
        "Level 2, 3 West and Flat 4 beds are closed",
        "Studio 4 huddle at 0700, 12 pts on the board",
        "visit ICU 412 at 0700; Epic chart: 2 notes",
        "MR: 3+ and A1C 7.2 on chart; MR 2D echo",
    ],
)
def test_dates_times_counts_and_levels_beside_cues_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


# --- issue 8, seventh pass: the first held-out part's misses, read after six passes (docs/phi.md)
# Cases of our own in the families those misses showed, each missed by the guard before this pass.


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # a street with no street word whose house number ends a question or an exclamation
        ("Can the pharmacy mail the refill to Kvernbakken 14?", "Kvernbakken 14"),
        ("Daughter asked us to mail it to Ruelle Marchetti 8? Confirm.", "Ruelle Marchetti 8"),
        ("is the new address Szewska 31?", "Szewska 31"),
        ("Son says the new flat is Haraldsbrekka 52!", "Haraldsbrekka 52"),
        # two streets that meet, neither with a house number
        ("found at the corner of Hallorann Ridge St. and Petrov Loop St.", "Hallorann Ridge St."),
        ("found at the corner of Hallorann Ridge St. and Petrov Loop St.", "Petrov Loop St."),
        ("pickup at the junction of Amber Pike & Willow Crossing", "Willow Crossing"),
        ("the corner of Tanner Oak Plains St. and Lantern Hill Ave", "Tanner Oak Plains St."),
        ("the corner of Tanner Oak Plains St. and Lantern Hill Ave", "Lantern Hill Ave"),
    ],
)
def test_streets_ending_a_question_and_streets_that_meet_are_masked(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Signed ____________   KQ418/66021", "KQ418/66021"),
        ("label reprinted: B7730/104829 on the tube", "B7730/104829"),
    ],
)
def test_slashed_codes_with_no_cue_are_masked(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "Is Braden 14? Morse 45! Recheck at 1600.",
        "Who covers Pod 4? Bed 12 is empty.",
        "SBP180/100 at 0400, DBP95/60 later; FY2024/2025 budget",
        "corner of the Nurses Station and Bed 4 has the cart",
        "L4/L5 fusion, C5/6 level; ratio PF250/300",
    ],
)
def test_scores_rooms_pressures_and_years_with_stops_and_slashes_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # a labelled field whose first word is also an English word
        ("Name: Visa Kowalczyk", "Visa Kowalczyk"),
        # an accented word whose plain-letter form is an English word
        ("NAME: Vít Hrubeš", "Vít Hrubeš"),
        ("grandson is called Eoghan Cillín, he visits daily", "Eoghan Cillín"),
        # two or more particles inside a name, and the Irish "Mac an"
        ("Report phoned in by Anouk van der Steenhoven today", "Anouk van der Steenhoven"),
        ("the interpreter was Ciarán Mac an Bhaird again", "Ciarán Mac an Bhaird"),
    ],
)
def test_labelled_accented_and_particled_names_are_masked_whole(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "Résumé of the shift: the van was late to pick up Bed 4",
        "Café opens at 0700; an order for Bed 4 went to the van",
        "Name: Pain Score, Fall Risk and Braden on the board",
    ],
)
def test_accented_everyday_words_and_lone_labels_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


# --- issue 8, seventh pass, second part: families from the second split's development part
# (meddeid-data notes, pii-anon templates with faker-js values); cases of our own.


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # after a cue that says an address follows, any country's shape, up to the clause's end
        ("Address: rynek Główny 7/3, Kraków", "rynek Główny 7/3, Kraków"),
        (
            "Daughter says he lives at Ds. Sukamaju no 12, Garut with his son",
            "Ds. Sukamaju no 12, Garut",
        ),
        (
            "discharged home to Calle 9 # 14-22 Sur, Ibagué with daughter",
            "Calle 9 # 14-22 Sur, Ibagué",
        ),
        (
            "Transport booked to Rozāļu iela 7 dz. 12, Jelgava for 0900.",
            "Rozāļu iela 7 dz. 12, Jelgava",
        ),
        (
            "Address:\nBlok C2 Lantai 3, Jl. Kenari 41\nDepok",
            "Blok C2 Lantai 3, Jl. Kenari 41\nDepok",
        ),
        (
            "What is his address? it is Kpg. Pasir no 3, Cianjur. Please note it.",
            "Kpg. Pasir no 3, Cianjur",
        ),
    ],
)
def test_addresses_of_any_shape_after_an_address_cue_are_masked(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Identity confirmed with 0831207.", "0831207"),
        ("identity verified against K4410982 at the desk", "K4410982"),
        ("Lab: County General | Report: LAB-01928374", "LAB-01928374"),
        ("Report: 27/550183 filed", "27/550183"),
        ("Clinician: Dr A | Professional ID: 0734411", "0734411"),
        ("signed by the registrar, GMC 7012345", "7012345"),
        ("DEA no. AB1234563 on the script", "AB1234563"),
        ("licence no. LIC-55120987 expires soon", "LIC-55120987"),
    ],
)
def test_report_licence_and_verification_numbers_are_masked(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Son called from (+44) 7700 900 461 this morning", "(+44) 7700 900 461"),
        ("Emergency contact: Olga Szabó at +36 30/418-2297.", "+36 30/418-2297"),
        ("Next of kin: Priya Raman, reachable on 61834402 after 5", "61834402"),
        ("Wife called from 58120977, asked for an update", "58120977"),
    ],
)
def test_phones_after_a_contact_and_in_other_countries_shapes_are_masked(
    text: str, secret: str
) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "Address: see chart; lives at home with wife, no 4 steps to enter",
        "Report 1400 handoff; report: 3 falls; the 2024 report is late",
        "contact the pharmacy at 0800 for 2 doses; RN contacted at 1400 about 12 units",
        "called from 4 West at 0730; transport booked to CT 2 at 0900",
        "discharged home to daughter's care, 2 weeks of PT; sent to Pyxis 2 for override",
    ],
)
def test_cues_before_workflow_words_times_and_counts_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # a cued address with a lower-case street word, no house number, or a town with any word
        ("Address: park Wiśniowy 62c, Łazy. DOB on file", "park Wiśniowy 62c, Łazy"),
        ("Address: Huerta Gómez s/n., El Prat de Llobregat. DOB on file", "Huerta Gómez s/n."),
        (
            "Flight booked to Priv. Barrio La Loma 74 Esc. 4, Soledad de Graciano Sánchez.",
            "Priv. Barrio La Loma 74 Esc. 4",
        ),
        ("Address: Csonka park 300 9.em, Siklósbodony. Email on file", "Csonka park 300 9.em"),
        # phones in slashed national shapes after a cue, short ones after a contact's name
        ("Phone: 764/795 119", "764/795 119"),
        ("Emergency contact: Anaïs Dubois at 697/40 57 95.", "697/40 57 95"),
        ("Phone for Pero Horvat: 847 244.", "847 244"),
    ],
)
def test_cued_addresses_and_phones_in_more_countries_shapes_are_masked(
    text: str, secret: str
) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "BP 118/76 72 98% RA; pressure 120/80 60 72 later",
        "Address: see Chart 2 for details",
        "ratio 250/300 at 0400; 764/795 on the counter",
    ],
)
def test_pressures_and_ratios_with_more_numbers_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # more cues that say an address follows: labels, "located at", "moved to", "c/o"
        ("Billing: 255 Voie d'Anjou, Toulouse", "255 Voie d'Anjou, Toulouse"),
        ("Ship to: Florastr. 24a Apt. 504, Leschburg", "Florastr. 24a Apt. 504, Leschburg"),
        ("Domicile: skwer Lipski 55c m. 319, Zgorzelec", "skwer Lipski 55c m. 319, Zgorzelec"),
        ("currently at Dricānu iela 79 - 574, Aloja", "Dricānu iela 79 - 574, Aloja"),
        ("Resides Voie des Brasseurs 33 bis 5 étage, Seneffe", "Voie des Brasseurs 33 bis 5 étage"),
        ("c/o Honiggasse 23 Apt. 241, Nyon", "Honiggasse 23 Apt. 241, Nyon"),
        ("She moved to park Kuc 73c, Zgorzelec last month", "park Kuc 73c, Zgorzelec"),
        ("the house at Markvej 93, 3. tv, Bjæverskov", "Markvej 93, 3. tv, Bjæverskov"),
    ],
)
def test_addresses_after_more_address_cues_are_masked(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "Home: 2 days post-op; moved to 4 West at 1400; currently at Bed 12",
        "Residence: SNF; located at the pharmacy window; c/o the charge nurse",
        "Please update the billing address with the unit clerk by Friday",
    ],
)
def test_address_cues_before_rooms_units_and_workflow_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


@pytest.mark.parametrize(
    "text",
    [
        "Spare pump is located at the Nurses Station",
        "she is staying at the Nursing Station until transport; supplies moved to the Med Station",
    ],
)
def test_ward_stations_after_an_address_cue_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


# --- issue 8, eighth pass: families from a development pool of two more generators (chance and
# @ngneat/falso, bench/phi_dev_pool.py source "chancefalso"); cases of our own, each missed before.


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # a region or country whose name holds "and", inside an address
        ("Mail the form to 12 Orchard Mews, Hexham, Tyne and Wear, NE46 3AB", "Tyne and Wear"),
        ("Address: 40 Frederick Street, Port of Spain, Trinidad and Tobago, 150123", "Tobago"),
        ("Ship to: 7 Harbour Rd, Basseterre, Saint Kitts and Nevis, KN0101", "Kitts and Nevis"),
    ],
)
def test_regions_and_countries_holding_and_stay_inside_the_address(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # a surname that is also an eponym or an everyday word, after a first name
        ("Meeting with Rosalind Day moved to 3 pm", "Rosalind Day"),
        ("handover from Hallie P. Welch at 1900, nothing pending", "Hallie P. Welch"),
        ("Discharge letter for Douglas Z. Fowler, MRN 88213, signed", "Douglas Z. Fowler"),
        ("Ines Fowler called twice about the pump alarm", "Ines Fowler"),
        ("Priyanka Welch called twice about the pump alarm", "Priyanka Welch"),
    ],
)
def test_surnames_that_are_also_eponyms_are_masked_after_a_first_name(
    text: str, secret: str
) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "Pt in semi-Fowler's, Bell's palsy ruled out, Welch Allyn monitor on Day 3",
        "Braden Day shift review: Morse 45, Foley out",
        "Trinidad and Tobago team visit moved to Monday",
        "Pt moved to 4 West, Rehab and Ortho, since Monday",
    ],
)
def test_eponyms_days_and_regions_without_an_address_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


def test_a_surname_rule_does_not_cross_a_sentence_end() -> None:
    masked = mask("Pt asked for Dr. Chen. Night shift skipped the reassessment prompt.").text
    assert "Night shift skipped" in masked and "Chen" not in masked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # policy: a role stays readable; a capitalised "Patient" at a sentence's start was masked
        # with the name after it
        (
            "Patient Maria Lopez refused the 2200 dose",
            "Patient [REDACTED-NAME] refused the 2200 dose",
        ),
        (
            "Patient Rosalind Day asked for the chaplain",
            "Patient [REDACTED-NAME] asked for the chaplain",
        ),
        ("Client Tobyn Okafor called back", "Client [REDACTED-NAME] called back"),
    ],
)
def test_patient_and_client_stay_readable_before_a_name(text: str, expected: str) -> None:
    assert mask(text).text == expected


@pytest.mark.parametrize(
    "text",
    ["Patient: Fall Risk High, bed alarm on", "Pt Fall Risk High per Morse, yellow socks on"],
)
def test_a_label_before_everyday_words_keeps_them_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


@pytest.mark.parametrize(
    ("text", "secret"),
    [("Patient: Hill", "Hill"), ("Patient: Grace Hill", "Grace Hill"), ("Pt Brown Long", "Brown")],
)
def test_a_label_before_a_surname_or_a_first_name_still_masks_it(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


# --- issue 8, ninth pass: from the last browser walk and its "noticed" list (our own cases) ------


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Spoke with Pieter De-Vries about the pump alarm", "Pieter De-Vries"),
        ("Pieter De-Vries called about the rota", "Pieter De-Vries"),
        ("Follow up with Omar El-Amin next week", "Omar El-Amin"),
        ("call Maria De-La-Cruz re: transport", "Maria De-La-Cruz"),
    ],
)
def test_a_particle_joined_to_a_surname_by_a_hyphen_is_masked_with_it(
    text: str, secret: str
) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "EHR downtime again today, paper MAR in use",
        "The EHR froze twice during med pass",
        "DEA number on the script was checked by pharmacy",
        "OSHA visit on 4 West moved to Friday",
        "moved to DOU bed 3 after rapid response",
        "QI huddle: the SOP for BYOD phones is in the EULA",
        "J1Fphoto of the whiteboard after huddle",
        "The Edit button is too close to Accept",
        "Tapped Edit on the draft, then Hide on the banner",
        "De-escalation training for night shift",
    ],
)
def test_acronyms_in_capitals_and_glued_labels_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


@pytest.mark.parametrize(
    ("text", "secret"),
    [("PATIENT: DEA SMITH", "DEA SMITH"), ("Dea Smith asked for the chaplain", "Dea Smith")],
)
def test_a_name_spelled_like_an_acronym_is_still_masked_as_a_name(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


# --- issue 8, ninth pass: a postcode alone names a handful of households (our own cases) ----------


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("postcode LS6 2QB, lives alone", "LS6 2QB"),
        ("son drove from M14 5RG to visit", "M14 5RG"),
        ("Postcode: SW1A 1AA", "SW1A 1AA"),
        ("came in from K2P 1L4 by ambulance", "K2P 1L4"),
        ("zip 02139 on the transport form", "02139"),
        ("ZIP: 90210", "90210"),
        ("Zip code is 10001 per registration", "10001"),
    ],
)
def test_postcodes_alone_and_after_a_postcode_cue_are_masked(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "CD4 count 350, ward B12 review at 2PM",
        "GCS 15, E4 V5 M6, O2 2L NC, q4h obs",
        "Bay A1 to bay B4 swap after the 4C huddle",
        "plz 1400 dose given? pharmacy said yes",
    ],
)
def test_lab_codes_beds_and_scores_shaped_like_postcodes_stay_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])


# --- issue 8, ninth pass: a full name typed in lower case on a phone (the browser walk) -----------


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("follow up with maria lopez next week", "maria lopez"),
        ("pieter devries said the alert fired late", "pieter devries"),
        ("sitter assigned to frieda greene left at 1900", "frieda greene"),
        ("kwame mensah - bed alarm off again", "kwame mensah"),
        ("pieter de-vries said the alert fired late", "pieter de-vries"),
    ],
)
def test_a_full_name_typed_in_lower_case_is_masked(text: str, secret: str) -> None:
    _wholly_masked(text, secret)


@pytest.mark.parametrize(
    "text",
    [
        "charge nurse moved the pump to bay 4 after huddle",
        "the epic inbox is slow and pyxis was down on 4 west",
        "will bill the visit after the sepsis screen fires",
        "float nurses lack the unit-specific view in the downtime binder",
        "staff did de-escalation with the family, then le-fort films",
    ],
)
def test_lower_case_workflow_text_stays_readable(text: str) -> None:
    assert mask(text) == Masked(text=text, types=[])
