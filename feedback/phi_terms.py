"""Words that are never a person's name on their own, and the cue words around names."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Eponyms, scores, devices, products, drugs, places and units that look like names.
CLINICAL_TERMS = _words(
    """
    morse braden foley apgar jackson-pratt jackson pratt glasgow allen homans murphy babinski
    doppler swan ganz swan-ganz trendelenburg fowler fowlers heimlich hickman broviac groshong
    yankauer ambu dobhoff salem coude whipple parkinson parkinsons alzheimer alzheimers
    hodgkin hodgkins crohn crohns addison addisons cushing cushings graves hashimoto bell bells
    guillain barre kawasaki raynaud raynauds wernicke korsakoff tourette down downs asperger
    apley lachman mcmurray romberg kernig brudzinski chvostek trousseau rovsing mcburney
    snellen weber rinne allis barlow ortolani gram giemsa wright papanicolaou pap holter
    bovie kocher metzenbaum mayo kelly allis babcock deaver balfour richardson gelpi weitlaner
    finochietto bookwalter jackson-pratts hemovac blake penrose malecot pezzer mic-key
    miami philadelphia aspen minerva halo sengstaken blakemore minnesota levin
    epic cerner meditech allscripts athena athenahealth pyxis omnicell vocera alaris baxter sigma
    hill-rom hillrom stryker philips welch allyn carefusion bd haiku rover canto hyperspace
    kardex spectralink teams outlook excel zoll medtronic hologic tegaderm bair hugger ensure
    lasix tylenol norco heparin zosyn vanc vancomycin narcan ativan haldol versed dilaudid
    morphine insulin lantus humalog kcl mar emar bpa bmat cows ciwa news mews sbar ipass
    ticket servicenow jira sharepoint workday kronos api hl7 fhir citrix imprivata tigertext
    voalte zebra honeywell ascom rauland hillrom centrella stryker sage purewick mepilex
    aquacel allevyn duoderm xeroform kerlix coban ace chux depends attends posey
    abbott dexcom libre accu-chek accuchek glucometer bard covidien cardinal mckesson
    micu sicu picu nicu ccu cvicu neuro icu pacu ed er or l&d ob gyn peds tele
    wound vac wound-vac picc port-a-cath portacath mediport
    medicare medicaid tricare humana aetna cigna kaiser
    covid webex vizient teladoc willebrand von-willebrand
    powerchart mychart firstnet surginet careaware soarian eclinicalworks nextgen spok
    tigerconnect intellivue carescape
    µg μg µl μl µmol μmol µm μm mcl
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec
    """
)

# Capitalised words that follow "pt", a title or a cue in workflow text but are not names.
NOT_NAMES = _words(
    """
    access advocate advocacy alert alerts and arrived asked at bed board call called came care
    census chart complaint complained declined denied discharge education engagement experience
    family flow flowsheet friendly home id identifier identification info information intake
    is label labels left list lists logistics monitor monitoring name names navigator
    needs placement portal refused relations reported representative requested safety said
    says services status stated states summary support tracking transport transfer was wanted
    whiteboard with wristband has had got went will would could should can did does do not no
    yes ok the a an in on of to for from by as up out off over now then still again also per
    kept felt fell waited returned room rm unit light pain meds med medication medications
    order orders record records report handoff rounds rounding assessment
    it this that these those we they he she his her their our my your via after before
    during while when since until because but or so if about around into onto near
    view screen tab button sticky note header banner field column row
    satisfaction survey hub journey centered first last number mrn dob ssn
    admit admitted admission transferred moved scheduled booked ready waiting
    instructions handout handouts wristbands age aged history preference preferences consent
    consents complete completed code blue apt apartment suite ste bldg box po
    rapid response team stat charge front desk
    main central west east north south tower wing pavilion floor lobby hallway station
    morning evening night day shift today tonight tomorrow yesterday noon midnight
    """
)

# Written in capitals, these are acronyms of the hospital's work, not names, though their title-case
# forms are in the name lists ("Ehr", "Dea", "Osha"): "EHR downtime", "DEA number", "OSHA visit".
# Left out: capitals that are also names people go by ("CAM", "AMI", "KAY").
CAPITAL_ACRONYMS = _words(
    "dea ehr emr osha dou aka apache lis ris qi sop roi eula mou byod vae hai alf coo adon prom"
)

# Buttons and actions of the screens clinicians give feedback on, which the name lists also hold
# ("Edit" is a Hungarian first name): "The Edit button is too close to Accept".
SCREEN_ACTIONS = _words("edit hide")

# Role words stay readable: "Dr. [REDACTED-NAME]", "the charge nurse".
ROLE_WORDS = _words(
    """
    dr doctor nurse rn lpn cna np pa md do aprn crna pharmacist pharmd rph therapist rt ot slp
    attending resident fellow intern hospitalist intensivist surgeon provider prof professor
    charge manager director educator tech technician clerk scribe dietitian chaplain sw cm
    midwife physician colleague preceptor informaticist analyst admin supervisor secretary
    registrar coordinator sitter aide transporter phlebotomist paramedic emt unit
    """
)

# Cue words right before a name, lower-case. Honorifics and relations are strong; "pt" too.
HONORIFICS = _words("mr mrs ms mx miss mister madam sir dame")
TITLES = _words("dr doctor prof professor nurse sister brother father rev")
RELATIVES = _words(
    "daughter son wife husband spouse partner mother father sister brother caregiver niece "
    "nephew mom dad granddaughter grandson grandmother grandfather aunt uncle cousin fiance "
    "fiancee boyfriend girlfriend guardian friend neighbor neighbour"
)
PATIENT_CUES = _words("pt patient resident client")
# Weaker: a capitalised unknown word right after these is a name more often than not.
VERB_CUES = _words(
    "with to from by per for call called calling ask asked tell told page paged paging text "
    "texted see saw seen meet met named contact contacted cc attn thank thanks thx spoke "
    "speak email emailed message messaged visited visit and or is am hi hello dear love "
    "regards sincerely signed"
)
# Labelled fields: "Name: Lopez, Maria", "Patient:\tMaria Lopez", "PATIENT NAME: LOPEZ,MARIA".
FIELD_LABELS = _words(
    "name patient pt resident guest visitor contact caller requester signed attending provider "
    "pcp nurse rn md doctor dr surgeon physician author cosigner witness interpreter "
    "nok emergency relative"
)
