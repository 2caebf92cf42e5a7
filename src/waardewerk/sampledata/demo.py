"""Demo data: the fictional "Werkplein Lindendaal" with staff, clients and trajectories.

``waardewerk demo`` (see ``core/management/commands/demo.py``) calls :func:`create_demo`. Every value is
drawn from one seeded random generator and placed relative to today's date, so two runs on the same day
produce the same data and the demo always looks current. All people, addresses, phone numbers and BSNs are
made up; the BSNs are generated to pass the elfproef and belong to nobody we know of.

The rows are written directly (not through the services) because the history needs dates in the past.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from waardewerk.accounts.models import (
    Organisation,
    OrganisationKind,
    Profession,
    Role,
    Team,
    TeamMembership,
    User,
)
from waardewerk.clients.models import Client
from waardewerk.clients.validators import bsn_is_valid
from waardewerk.trajectories.models import (
    Action,
    ActionOwner,
    ActionStatus,
    Context,
    Conversation,
    ConversationMode,
    EndReason,
    Phase,
    PhaseChange,
    Trajectory,
)

SEED = 20261123
ORGANISATION_NAME = "Werkplein Lindendaal"
CITY = "Lindendaal"
STAFF_EMAIL_DOMAIN = "lindendaal.example"
DEMO_PASSWORD = "Waardewerk-demo-2026"  # noqa: S105 - the published demo password, printed by the command
TEAM_WI = "Werk & Inkomen – Klantmanagement"
TEAM_BRUG = "Re-integratie De Brug"
CLIENT_COUNT = 48


class DemoError(Exception):
    """The demo data cannot be created or removed; the message says why."""


class DemoAccount(NamedTuple):
    username: str
    role: str
    description: str
    password: str


@dataclass(frozen=True)
class _Staff:
    username: str
    first_name: str
    last_name: str
    role: str
    profession: str
    teams: tuple[str, ...]
    role_label: str
    description: str


_STAFF = (
    _Staff(
        "marieke",
        "Marieke",
        "Hoekstra",
        Role.PROFESSIONAL,
        Profession.EMPLOYMENT_EXPERT,
        (TEAM_BRUG,),
        "Professional (arbeidsdeskundige)",
        "Team De Brug: 1st/2nd track and WIA/WGA caseload",
    ),
    _Staff(
        "sanne",
        "Sanne",
        "van Dijk",
        Role.PROFESSIONAL,
        Profession.CLIENT_MANAGER,
        (TEAM_WI,),
        "Professional (klantmanager)",
        "Team Werk & Inkomen: Participation Act caseload",
    ),
    _Staff(
        "youssef",
        "Youssef",
        "El Amrani",
        Role.PROFESSIONAL,
        Profession.JOB_COACH,
        (TEAM_BRUG,),
        "Professional (jobcoach)",
        "Team De Brug: WW, WIA and Participation Act caseload",
    ),
    _Staff(
        "pieter",
        "Pieter",
        "de Boer",
        Role.PROFESSIONAL,
        Profession.CLIENT_MANAGER,
        (TEAM_WI,),
        "Professional (klantmanager)",
        "Team Werk & Inkomen: Participation Act caseload",
    ),
    _Staff(
        "annelies",
        "Annelies",
        "Vermeulen",
        Role.TEAM_LEAD,
        "",
        (TEAM_WI, TEAM_BRUG),
        "Team lead",
        "Leads both teams; responsible for two trajectories herself",
    ),
    _Staff(
        "beheer",
        "Ruud",
        "Kramer",
        Role.FUNCTIONAL_ADMIN,
        "",
        (),
        "Functional administrator",
        "Settings and users; no access to client files",
    ),
)

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = tuple(
    DemoAccount(s.username, s.role_label, s.description, DEMO_PASSWORD) for s in _STAFF
)

PHASE_ORDER = [Phase.INTAKE, Phase.PLAN, Phase.EXECUTION, Phase.MONITORING, Phase.ADJUSTING, Phase.EVALUATION]

# ---------------------------------------------------------------------------------------------------------
# Names, places and jobs
# ---------------------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """A list written as one string; items are separated by commas."""
    return [item.strip() for item in text.split(",") if item.strip()]


# Dutch first names by gender and generation (42 and older, or younger).
_DUTCH_FIRST = {
    ("f", "old"): _words(
        "Monique, Petra, Ingrid, Jolanda, Sandra, Marja, Anita, Esther, Karin, Wilma, Ellen"
    ),
    ("f", "young"): _words("Anouk, Femke, Demi, Lisa, Iris, Naomi, Kim, Marloes, Sanne, Tamara, Lotte, Romy"),
    ("m", "old"): _words(
        "Gerrit, Hans, Ronald, Erik, Marcel, Jeroen, Rob, Peter, Johan, Frank, Wim, Richard"
    ),
    ("m", "young"): _words(
        "Dennis, Kevin, Bas, Sven, Thijs, Niels, Ruben, Sjoerd, Martijn, Jesse, Tim, Stefan"
    ),
}
# Dutch last names; the infix (tussenvoegsel) is split off below.
_DUTCH_LAST = _words(
    "de Vries, van der Meer, Bakker, Visser, de Jong, van den Berg, Smit, Mulder, Dekker, van Leeuwen, "
    "Brouwer, de Graaf, van der Linden, Hendriks, Kok, ter Horst, Willems, van 't Hof, Schouten, van Beek, "
    "Post, Kuipers, in 't Veld, Veenstra, van Wijk, Timmermans, de Haan, Wouters, van Dam, Koster"
)
_INFIXES = ("van der", "van den", "van 't", "in 't", "van", "de", "ter")


def _split_infix(name: str) -> tuple[str, str]:
    for infix in _INFIXES:
        if name.startswith(infix + " "):
            return infix, name[len(infix) + 1 :]
    return "", name


# Other backgrounds, as in any Dutch town: female first names, male first names, last names. A Polish last
# name is written "male/female" because the language declines it.
_OTHER_ORIGINS = {
    "marokkaans": (
        _words("Fatima, Samira, Nadia, Khadija, Houda, Yasmina, Loubna, Naima"),
        _words("Mohamed, Said, Karim, Mustafa, Bilal, Anouar, Hamza, Rachid"),
        _words("Bouzid, El Idrissi, Ouali, Benali, Azzouz, El Khatib, Boukhari, Ait Taleb"),
    ),
    "turks": (
        _words("Ayşe, Fatma, Elif, Zeynep, Esra, Hatice, Büşra"),
        _words("Mehmet, Emre, Murat, Hakan, Burak, Kemal, Serkan"),
        _words("Yılmaz, Demir, Kaya, Öztürk, Çelik, Aydın, Arslan, Şahin"),
    ),
    "surinaams-hindoestaans": (
        _words("Sharda, Anjali, Priya, Sita, Reshma"),
        _words("Ravi, Anil, Sunil, Radjesh, Vikash"),
        _words("Ramdin, Mahabier, Jagessar, Ramcharan, Soekhoe, Biharie"),
    ),
    "surinaams-creools": (
        _words("Shirley, Jennifer, Rinia, Cherelle, Gisela"),
        _words("Marciano, Romano, Glenn, Errol, Orlando"),
        _words("Pinas, Kross, Wijngaarde, Doelwijt, Vlijter, Redan"),
    ),
    "pools": (
        _words("Agnieszka, Katarzyna, Magdalena, Joanna, Monika"),
        _words("Piotr, Tomasz, Krzysztof, Marcin, Paweł, Łukasz"),
        _words("Kowalski/Kowalska, Nowak, Wiśniewski/Wiśniewska, Wójcik, Kamiński/Kamińska, Mazur"),
    ),
    "syrisch": (
        _words("Rania, Lina, Hala, Nour"),
        _words("Ahmad, Omar, Khaled, Mahmoud"),
        _words("Alhassan, Khalil, Haddad, Al Ahmad"),
    ),
    "eritrees": (
        _words("Senait, Helen, Selam"),
        _words("Yonas, Filmon, Dawit"),
        _words("Tesfay, Gebremedhin, Haile, Kidane"),
    ),
}
# How many of the 48 clients have each background.
_ORIGIN_MIX = {
    "nederlands": 27,
    "marokkaans": 6,
    "turks": 5,
    "surinaams-hindoestaans": 2,
    "surinaams-creools": 2,
    "pools": 3,
    "syrisch": 2,
    "eritrees": 1,
}
_STATUS_HOLDER_ORIGINS = frozenset({"syrisch", "eritrees"})
_NEWCOMER_ORIGINS = _STATUS_HOLDER_ORIGINS | {"pools"}

_STREETS = _words(
    "Lindenlaan, Kerkstraat, Molenweg, Dorpsstraat, Beatrixstraat, Julianalaan, Schoolstraat, Merelstraat, "
    "Lijsterbeslaan, Populierenweg, Havenkade, Kastanjelaan, Zonnebloemstraat, Spoorstraat, Rembrandtlaan, "
    "Vondelstraat, Wilhelminastraat, Zuidsingel, Esdoornhof, Prins Hendrikstraat, Gildeplein, Akkerweg, "
    "Vlasakker, Beukenhof"
)
_MAIL_DOMAINS = _words("mail.example, post.example, webmail.example, thuis.example")
# Postal-code letters: F, I, O, Q, U and Y are not used, nor the combinations SA, SD and SS.
_POSTCODE_FIRST = "ABCDEGHJKLMNPRSTVWXZ"
_POSTCODE_SECOND = "ABCEGHJKLMNPRTVWXZ"


def _table(text: str) -> dict[str, list[str]]:
    """Lines of "name: item, item, ..." as a dict."""
    rows = (line.split(":") for line in text.strip().splitlines())
    return {name.strip(): _words(items) for name, items in rows}


# Fictional employers in Lindendaal with jobs that fit them.
_EMPLOYERS = _table(
    """
        Zorggroep De Lindehof: verzorgende IG, medewerker huishouding, receptionist
        Thuiszorg Lindendaal: verzorgende IG, helpende zorg en welzijn
        Bouwbedrijf Van Rijn: timmerman, metselaar
        Buurtsuper De Linde: verkoopmedewerker, vakkenvuller, kassamedewerker
        Transportbedrijf Hoogland: vrachtwagenchauffeur, planner
        Kinderopvang Het Speelhuis: pedagogisch medewerker
        Logistiek Centrum Lindendaal: magazijnmedewerker, heftruckchauffeur, orderpicker
        Hotel De Gouden Leeuw: kok, receptionist, medewerker bediening
        Schoonmaakbedrijf Glans: schoonmaakmedewerker
        Kringloopwinkel De Tweede Ronde: winkelmedewerker, chauffeur
        Groenvoorziening Lindendaal: hovenier, medewerker groenonderhoud
        Metaalbewerking Brink: monteur, productiemedewerker, lasser
        Garage Van Oss: monteur, administratief medewerker
        Bakkerij Verhoef: bakker, verkoopmedewerker
        Huisartsenpraktijk De Linde: doktersassistent
        Klantcontact Lindendaal: klantenservicemedewerker
        Busvervoer Regio Lindendaal: buschauffeur
    """
)


# ---------------------------------------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------------------------------------

FT, ST, PA, WW, WIA, OT = (
    Context.FIRST_TRACK,
    Context.SECOND_TRACK,
    Context.PARTICIPATION_ACT,
    Context.UNEMPLOYMENT,
    Context.DISABILITY,
    Context.OTHER,
)
ALL_CONTEXTS = frozenset(Context.values)


class _Question(NamedTuple):
    context: str
    text: str
    min_age: int = 0
    max_age: int = 200
    origins: frozenset | None = None


# The client's question for help (hulpvraag) or the assignment (opdracht), per context.
_QUESTIONS = [
    _Question(
        FT,
        "Na een burn-out wil {aanhef} stap voor stap terug naar {zijn} eigen werk als {beroep}. "
        "De werkgever, {werkgever}, wil meedenken over aangepaste taken en uren.",
    ),
    _Question(
        FT,
        "{Aanhef} is door een hernia gedeeltelijk uitgevallen als {beroep}. Opdracht van de "
        "werkgever: onderzoek welke taken in de eigen functie passend zijn en maak een opbouwschema.",
    ),
    _Question(
        FT,
        "Na een lange behandeling voor kanker wil {aanhef} {zijn} werk als {beroep} hervatten. "
        "Vraag: wat is haalbaar, en wat heeft {hij} daarvoor nodig van {werkgever}?",
    ),
    _Question(
        FT,
        "Arbeidsdeskundig onderzoek eerste spoor: kan {aanhef} de eigen functie als {beroep} weer "
        "volledig uitvoeren, of is aanpassing van het werk nodig?",
    ),
    _Question(
        ST,
        "Terugkeer in de eigen functie als {beroep} lukt niet meer door fysieke beperkingen. "
        "Opdracht: tweede-spoortraject naar passend werk bij een andere werkgever, uitgaande van wat "
        "{aanhef} belangrijk vindt in werk.",
    ),
    _Question(
        ST,
        "{Aanhef} zit in het tweede ziektejaar en de bedrijfsarts verwacht geen terugkeer in het "
        "eigen werk. {Hij} wil verkennen welk werk bij {zijn} mogelijkheden past, het liefst met "
        "mensen om zich heen.",
    ),
    _Question(
        ST,
        "Na een conflict en langdurige uitval is terugkeer bij de eigen werkgever geen optie meer. "
        "{Aanhef} wil elders opnieuw beginnen en twijfelt tussen omscholing en direct solliciteren.",
    ),
    _Question(
        PA,
        "{Aanhef} heeft een bijstandsuitkering en werkt al {jaren_zonder_werk} jaar niet. {Hij} "
        "wil graag weer meedoen, maar weet niet waar te beginnen; schulden en de zorg voor de "
        "kinderen spelen mee.",
        min_age=25,
        max_age=55,
    ),
    _Question(
        PA,
        "{Aanhef} is statushouder en spreekt inmiddels redelijk Nederlands. {Hij} werkte in het "
        "land van herkomst als {beroep} en wil dat vak hier weer oppakken.",
        origins=frozenset(_STATUS_HOLDER_ORIGINS),
    ),
    _Question(
        PA,
        "{Aanhef} is jonger dan 27, heeft geen startkwalificatie en vroeg recent bijstand aan. "
        "Vraag: werk of een opleiding vinden die past bij wat {hij} zelf wil, met een "
        "werkervaringsplaats als mogelijke eerste stap.",
        max_age=26,
    ),
    _Question(
        PA,
        "Na een scheiding is {aanhef} in de bijstand gekomen. {Hij} wil zo snel mogelijk weer "
        "financieel zelfstandig zijn, het liefst met parttime werk naast de zorg voor de kinderen.",
        min_age=25,
        max_age=55,
    ),
    _Question(
        PA,
        "{Aanhef} heeft psychische klachten en een grote afstand tot de arbeidsmarkt. Eerste doel "
        "is structuur en een zinvolle daginvulling, bijvoorbeeld vrijwilligerswerk, als opstap naar "
        "betaald werk.",
    ),
    _Question(
        PA,
        "{Aanhef} werkt parttime en vult aan met bijstand. {Hij} wil meer uren maken of doorgroeien "
        "naar een functie als {beroep}.",
    ),
    _Question(
        WW,
        "{Aanhef} is na {dienstjaren} jaar als {beroep} ontslagen bij een reorganisatie. {Hij} wil "
        "gericht solliciteren en ontdekken welke kwaliteiten ook in andere sectoren gevraagd worden.",
    ),
    _Question(
        WW,
        "Na het aflopen van een tijdelijk contract heeft {aanhef} een WW-uitkering. Vraag: hulp bij "
        "netwerken en sollicitatiegesprekken, want brieven leveren wel uitnodigingen op maar geen "
        "baan.",
    ),
    _Question(
        WW,
        "{Aanhef} ({leeftijd} jaar) merkt dat werkgevers afhaken op leeftijd. {Hij} wil een plan om "
        "{zijn} ervaring als {beroep} beter zichtbaar te maken.",
        min_age=50,
    ),
    _Question(
        WIA,
        "{Aanhef} heeft een WGA-uitkering na langdurige rugklachten en kan niet meer als {beroep} "
        "werken. Opdracht van UWV: begeleiding naar passend werk binnen de mogelijkheden uit de FML.",
    ),
    _Question(
        WIA,
        "Na een herseninfarct is {aanhef} gedeeltelijk arbeidsongeschikt. {Hij} wil weer werken, "
        "maar raakt snel overprikkeld; samen zoeken naar een rustige werkplek met vaste taken.",
    ),
    _Question(
        WIA,
        "{Aanhef} heeft een WGA-uitkering vanwege MS. Vraag: welk werk en hoeveel uur per week zijn "
        "duurzaam vol te houden?",
    ),
    _Question(
        OT,
        "{Aanhef} heeft geen uitkering en meldde zich zelf bij het Werkplein. Na jaren mantelzorg "
        "wil {hij} weer aan het werk en zoekt een richting.",
        min_age=30,
    ),
    _Question(
        OT,
        "Wajong: {aanhef} werkt sinds kort bij {werkgever} en wil met steun van een jobcoach het "
        "werk volhouden en uitbreiden.",
        max_age=40,
    ),
    _Question(
        OT,
        "Preventieve loopbaanbegeleiding op verzoek van de werkgever: {aanhef} dreigt uit te vallen "
        "als {beroep} en wil verkennen welk werk beter past bij wat {hij} belangrijk vindt.",
    ),
]

_NOT_FT = ALL_CONTEXTS - {FT}
_EMPLOYED = frozenset({FT, ST})
_PLACEMENT = frozenset({PA, OT, WIA})


class _Text(NamedTuple):
    phase: str
    text: str
    contexts: frozenset = ALL_CONTEXTS
    when: str = "later"  # "first": only the first conversation, "any": first or later, "later": not first
    mode: str = ""  # the form the text implies; empty: chosen to fit phase and context
    max_age: int = 200


# Conversation summaries per phase.
_CONVERSATIONS = [
    _Text(
        Phase.INTAKE,
        "Kennismakingsgesprek. {Aanhef} vertelde over {zijn} werkgeschiedenis als {beroep} en "
        "over wat {hij} belangrijk vindt in werk: contact met collega's en iets betekenen voor "
        "anderen. Afgesproken dat {hij} de Lijst Werk Capabilities invult.",
        when="first",
    ),
    _Text(
        Phase.INTAKE,
        "Intake gevoerd met de ingevulde vragenlijst als gespreksagenda. Sterke punten: "
        "doorzettingsvermogen en ervaring als {beroep}. Belemmeringen: onrustige nachten en "
        "geen rijbewijs.",
        when="any",
    ),
    _Text(
        Phase.INTAKE,
        "{Aanhef} twijfelt of werk nog lukt: 'Ik heb al zo lang niets gedaan.' Het geloof in "
        "eigen kunnen is laag; samen eerdere successen benoemd om op voort te bouwen.",
        _NOT_FT,
    ),
    _Text(
        Phase.INTAKE,
        "Huisbezoek. De thuissituatie besproken: de zorg voor een ouder familielid kost veel "
        "tijd. {Aanhef} wil graag meer onder de mensen komen, het liefst met werk in de buurt.",
        frozenset({PA, OT}),
        when="any",
        mode=ConversationMode.HOME_VISIT,
    ),
    _Text(
        Phase.INTAKE,
        "Gesprek over willen en kunnen. {Aanhef} wil graag werken, maar mist digitale "
        "vaardigheden; partner en vrienden moedigen {hem} aan. Praktische belemmering: "
        "kinderopvang op woensdag.",
        max_age=50,
    ),
    _Text(
        Phase.INTAKE,
        "Driegesprek met {aanhef} en de leidinggevende bij {werkgever}. Beiden willen "
        "terugkeer; de bedrijfsarts adviseert een rustige opbouw. Eerst de belastbaarheid in "
        "kaart brengen.",
        frozenset({FT}),
        when="first",
        mode=ConversationMode.AT_WORK,
    ),
    _Text(
        Phase.PLAN,
        "Plan van aanpak samen opgesteld. Doel in eigen woorden: 'Over een half jaar werk ik "
        "drie dagen per week, het liefst buiten.' Acties en wie wat doet vastgelegd.",
    ),
    _Text(
        Phase.PLAN,
        "Uitkomst van de LWC besproken: 'een goed inkomen' en 'zelf doelen stellen' vindt "
        "{aanhef} belangrijk, maar die lukken nu niet. Het plan richt zich daarop.",
    ),
    _Text(
        Phase.PLAN,
        "Keuze voor een werkervaringsplaats onderbouwd: past bij onze ervaring, bij onderzoek "
        "(eerst plaatsen, dan trainen) en bij de voorkeur van {aanhef} om in de praktijk te leren.",
        _PLACEMENT,
    ),
    _Text(
        Phase.PLAN,
        "Opbouwschema besproken met {aanhef} en {werkgever}: start met 2 x 3 uur per week in "
        "aangepaste taken, elke drie weken evalueren met de bedrijfsarts.",
        frozenset({FT}),
    ),
    _Text(
        Phase.PLAN,
        "Zoekrichting bepaald op basis van de FML en de waarden van {aanhef}: werk met vaste "
        "structuur, weinig tillen en collega's om zich heen. Drie functies uitgewerkt.",
        frozenset({ST, WIA}),
    ),
    _Text(
        Phase.PLAN,
        "Arbeidsmarktverkenning besproken: in de logistiek en de techniek is veel vraag naar mensen met "
        "{zijn} ervaring. {Aanhef} kiest er zelf voor zich eerst op twee functies te richten.",
        frozenset({WW, PA, ST, OT}),
    ),
    _Text(
        Phase.EXECUTION,
        "{Aanhef} is gestart op de werkervaringsplaats bij {werkgever}. De eerste week ging "
        "beter dan verwacht; vooral het contact met collega's gaf energie.",
        _PLACEMENT,
    ),
    _Text(
        Phase.EXECUTION,
        "Sollicitatietraining afgerond. Samen een open sollicitatie voorbereid voor "
        "{werkgever}; {aanhef} belt zelf de contactpersoon.",
        _NOT_FT,
        mode=ConversationMode.IN_PERSON,
    ),
    _Text(
        Phase.EXECUTION,
        "Werkplekbezoek bij {werkgever}. De leidinggevende is tevreden over inzet en "
        "nauwkeurigheid; tilwerk blijft lastig en een collega neemt dat voorlopig over.",
        frozenset({FT, ST, WIA}),
        mode=ConversationMode.AT_WORK,
    ),
    _Text(
        Phase.EXECUTION,
        "Samen met {aanhef} bij de schuldhulpverlening geweest. Nu er een "
        "betalingsregeling is, ontstaat er ruimte om aan werk te denken.",
        frozenset({PA}),
        mode=ConversationMode.IN_PERSON,
    ),
    _Text(
        Phase.EXECUTION,
        "{Aanhef} had twee sollicitatiegesprekken. Terugblik: goed voorbereid, maar het "
        "was lastig de periode zonder werk uit te leggen. Een kort, eerlijk antwoord "
        "geoefend.",
        frozenset({WW, PA, ST, OT}),
        mode=ConversationMode.VIDEO,
    ),
    _Text(
        Phase.EXECUTION,
        "De hervatting loopt: {aanhef} werkt nu vier ochtenden. Het helpt dat {hij} zelf "
        "de volgorde van de taken mag bepalen.",
        frozenset({FT}),
    ),
    _Text(
        Phase.MONITORING,
        "Voortgang besproken: drie van de vier acties zijn afgerond. Geloof in eigen kunnen "
        "opnieuw gescoord; {aanhef} scoort duidelijk hoger dan bij de intake.",
    ),
    _Text(
        Phase.MONITORING,
        "Kort telefonisch contact. Het gaat goed op het werk; {aanhef} heeft de uren "
        "uitgebreid naar twintig per week.",
        mode=ConversationMode.PHONE,
    ),
    _Text(
        Phase.MONITORING,
        "Participatieladder opnieuw ingevuld: van trede 3 (georganiseerde activiteiten) "
        "naar trede 4 (onbetaald werk). {Aanhef} is er zelf trots op.",
        frozenset({PA, OT}),
    ),
    _Text(
        Phase.MONITORING,
        "{Aanhef} vindt het tempo hoog en merkt vermoeidheid aan het eind van de week. "
        "Afgesproken dit over twee weken opnieuw te bekijken.",
    ),
    _Text(
        Phase.MONITORING,
        "Driegesprek met {werkgever}: de afspraken worden nagekomen en de werkgever wil na "
        "de proefplaatsing een contract bespreken.",
        _NOT_FT,
        mode=ConversationMode.AT_WORK,
    ),
    _Text(
        Phase.ADJUSTING,
        "Bijsturing: de opbouw in uren bleek te snel. Samen besloten een stap terug te doen "
        "en de taken beter over de week te verdelen.",
    ),
    _Text(
        Phase.ADJUSTING,
        "De gekozen opleiding past toch niet bij wat {aanhef} belangrijk vindt. Plan "
        "aangepast: eerst een snuffelstage in de zorg.",
        _NOT_FT,
    ),
    _Text(
        Phase.ADJUSTING,
        "Nieuwe belemmering: de kinderopvang valt weg. Doelen bijgesteld en samen met het "
        "wijkteam een oplossing voorbereid.",
        max_age=50,
    ),
    _Text(
        Phase.ADJUSTING,
        "Terugval door privéomstandigheden. {Aanhef} wil wel door; afgesproken voorlopig "
        "minder acties tegelijk te doen en vaker kort contact te hebben.",
    ),
    _Text(
        Phase.EVALUATION,
        "Evaluatiegesprek. {Aanhef} kijkt positief terug: 'Ik durf weer dingen aan te "
        "gaan.' De LWC vergeleken met de intake: twee waarden meer in de capability set.",
    ),
    _Text(
        Phase.EVALUATION,
        "Traject geëvalueerd met {aanhef} en {werkgever}. Het werk is duurzaam hervat; "
        "aandachtspunten vastgelegd voor de bedrijfsarts.",
        frozenset({FT}),
    ),
    _Text(
        Phase.EVALUATION,
        "Terugblik op het traject: niet alle doelen zijn gehaald, wel zijn er duidelijke "
        "stappen gezet. Met {aanhef} besproken wat wel en niet hielp.",
    ),
]


class _ActionText(NamedTuple):
    stage: int  # 0: intake and plan, 1: execution onwards, 2: evaluation only
    text: str
    owner: str
    contexts: frozenset = ALL_CONTEXTS
    newcomers_only: bool = False  # only for clients who learn Dutch as a second language


_ACTIONS = [
    _ActionText(0, "Lijst Werk Capabilities invullen", ActionOwner.CLIENT),
    _ActionText(
        0,
        "Vragenlijst Scan Werkvermogen invullen voor het volgende gesprek",
        ActionOwner.CLIENT,
        frozenset({PA, WW, OT}),
    ),
    _ActionText(0, "Actuele FML opvragen bij de bedrijfsarts", ActionOwner.PROFESSIONAL, _EMPLOYED),
    _ActionText(
        0, "Rapportage van de WGA-beoordeling opvragen bij UWV", ActionOwner.PROFESSIONAL, frozenset({WIA})
    ),
    _ActionText(0, "Cv bijwerken", ActionOwner.CLIENT),
    _ActionText(0, "Aanmelden bij de schuldhulpverlening", ActionOwner.CLIENT, frozenset({PA})),
    _ActionText(0, "Plan van aanpak uitwerken en ter ondertekening sturen", ActionOwner.PROFESSIONAL),
    _ActionText(
        0, "Overzicht maken van taken die nu wel en niet gaan", ActionOwner.EMPLOYER, frozenset({FT})
    ),
    _ActionText(
        0,
        "Drie vacatures zoeken die passen bij wat {aanhef} belangrijk vindt in werk",
        ActionOwner.CLIENT,
        _NOT_FT,
    ),
    _ActionText(
        1,
        "Werkervaringsplaats zoeken in de zorg of de groenvoorziening",
        ActionOwner.PROFESSIONAL,
        frozenset({PA, OT}),
    ),
    _ActionText(
        1, "Proefplaatsing van twee maanden regelen met {werkgever}", ActionOwner.PROFESSIONAL, _NOT_FT
    ),
    _ActionText(1, "Opbouwschema in uren bevestigen", ActionOwner.EMPLOYER, frozenset({FT})),
    _ActionText(
        1, "Aangepaste werkplek inrichten (zit-sta-bureau)", ActionOwner.EMPLOYER, frozenset({FT, ST, WIA})
    ),
    _ActionText(1, "Buddy aanwijzen op de werkvloer", ActionOwner.EMPLOYER),
    _ActionText(
        1, "Open sollicitatie sturen naar {werkgever}", ActionOwner.CLIENT, frozenset({WW, PA, ST, OT})
    ),
    _ActionText(1, "Driegesprek plannen met {werkgever}", ActionOwner.PROFESSIONAL),
    _ActionText(1, "Loonwaardemeting aanvragen", ActionOwner.PROFESSIONAL, frozenset({PA, WIA})),
    _ActionText(
        1,
        "Taalaanbieder: niveau Nederlands inschatten en cursus B1 aanbieden",
        ActionOwner.OTHER,
        frozenset({PA, WW, OT}),
        newcomers_only=True,
    ),
    _ActionText(1, "Bedrijfsarts: belastbaarheid opnieuw beoordelen", ActionOwner.OTHER, _EMPLOYED),
    _ActionText(1, "Energiedagboek bijhouden tot het volgende gesprek", ActionOwner.CLIENT),
    _ActionText(1, "Herhaalmeting geloof in eigen kunnen afnemen", ActionOwner.PROFESSIONAL),
    _ActionText(2, "Evaluatieverslag schrijven en bespreken met {aanhef}", ActionOwner.PROFESSIONAL),
    _ActionText(2, "Lijst Werk Capabilities opnieuw invullen voor de eindmeting", ActionOwner.CLIENT),
    _ActionText(2, "Nazorgafspraken vastleggen met {werkgever}", ActionOwner.PROFESSIONAL, _NOT_FT),
    _ActionText(2, "Eindgesprek met de bedrijfsarts over duurzame hervatting", ActionOwner.OTHER, _EMPLOYED),
    _ActionText(
        2, "Eigen reflectie op het traject schrijven voor het intervisieoverleg", ActionOwner.PROFESSIONAL
    ),
]

# Reasons recorded with a move in the cycle, keyed on (from, to).
_PHASE_REASONS = {
    (Phase.INTAKE, Phase.PLAN): [
        "Intake afgerond; waarden, sterke punten en belemmeringen zijn in beeld.",
        "Intake en LWC besproken, tijd voor een plan.",
        "Beeldvorming compleet; samen met de cliënt doelen formuleren.",
    ],
    (Phase.PLAN, Phase.EXECUTION): [
        "Plan van aanpak ondertekend.",
        "Doelen en acties afgesproken; uitvoering start.",
        "Plan akkoord; de eerste acties staan gepland.",
    ],
    (Phase.EXECUTION, Phase.MONITORING): [
        "Eerste acties uitgevoerd; voortgang volgen.",
        "Cliënt is gestart; we volgen hoe het gaat.",
        "Plaatsing loopt; voortgang periodiek meten.",
    ],
    (Phase.MONITORING, Phase.ADJUSTING): [
        "Voortgang stokt; plan moet worden bijgesteld.",
        "Opbouw te snel gegaan, klachten nemen toe.",
        "Nieuwe belemmering in de thuissituatie.",
    ],
    (Phase.ADJUSTING, Phase.EXECUTION): [
        "Bijgesteld plan afgesproken; opnieuw aan de slag.",
        "Nieuwe route gekozen; uitvoering hervat.",
    ],
    (Phase.ADJUSTING, Phase.PLAN): ["Doelen opnieuw formuleren met de cliënt."],
    (Phase.MONITORING, Phase.EVALUATION): [
        "Doelen bereikt; tijd om terug te kijken.",
        "Einde van de afgesproken periode; evalueren.",
        "Werk stabiel hervat; traject evalueren.",
    ],
}
_START_REASON = "Traject gestart"

_END_NOTES = {
    EndReason.PAID_WORK: [
        "Contract voor een jaar bij {werkgever}, 24 uur per week. Nazorg via de werkgever afgesproken.",
        "Vaste baan gevonden na de proefplaatsing bij {werkgever}.",
    ],
    EndReason.WORK_OWN_EMPLOYER: [
        "Volledig hersteld in eigen functie bij {werkgever}, met vaste werktijden."
    ],
    EndReason.EDUCATION: ["Gestart met een mbo-opleiding (BBL) in de zorg; begeleiding via de school."],
    EndReason.OTHER_SUPPORT: ["Overgedragen aan het wijkteam; eerst aandacht voor gezondheid en schulden."],
    EndReason.MOVED: [
        "Verhuisd naar een andere gemeente; dossier overgedragen met toestemming van de cliënt."
    ],
    EndReason.CLIENT_STOPPED: [
        "Cliënt wil het traject op dit moment niet voortzetten; kan zich opnieuw melden."
    ],
    EndReason.HEALTH: ["Opname en behandeling gaan voor; over een half jaar opnieuw contact."],
}
_OTHER_END_REASONS = [
    EndReason.PAID_WORK,
    EndReason.EDUCATION,
    EndReason.OTHER_SUPPORT,
    EndReason.MOVED,
    EndReason.CLIENT_STOPPED,
    EndReason.HEALTH,
]

# ---------------------------------------------------------------------------------------------------------
# The caseload plan: who is responsible, in which context, and which trajectories are closed.
# ---------------------------------------------------------------------------------------------------------


class _Slot(NamedTuple):
    username: str
    team: str
    context: str
    closed: bool


def _caseload_plan() -> list[_Slot]:
    slots: list[_Slot] = []

    def add(username, team, context, count, closed=0):
        slots.extend(_Slot(username, team, context, i < closed) for i in range(count))

    add("sanne", TEAM_WI, PA, 10, closed=2)
    add("sanne", TEAM_WI, OT, 1)
    add("pieter", TEAM_WI, PA, 10, closed=1)
    add("pieter", TEAM_WI, OT, 1, closed=1)
    add("marieke", TEAM_BRUG, FT, 4, closed=1)
    add("marieke", TEAM_BRUG, ST, 4, closed=1)
    add("marieke", TEAM_BRUG, WIA, 3)
    add("marieke", TEAM_BRUG, OT, 1)
    add("youssef", TEAM_BRUG, PA, 3, closed=1)
    add("youssef", TEAM_BRUG, WW, 4, closed=1)
    add("youssef", TEAM_BRUG, WIA, 2)
    add("youssef", TEAM_BRUG, FT, 1)
    add("youssef", TEAM_BRUG, ST, 2)
    add("annelies", TEAM_WI, PA, 1)
    add("annelies", TEAM_BRUG, ST, 1)
    assert len(slots) == CLIENT_COUNT
    return slots


# Minimum age per context: a sick-leave or WIA route presumes some years of work.
_MIN_AGE = {FT: 21, ST: 21, WW: 21, WIA: 25}
# Relative time spent in each phase, to spread the history plausibly.
_PHASE_WEIGHT = {
    Phase.INTAKE: 1.0,
    Phase.PLAN: 0.8,
    Phase.EXECUTION: 2.5,
    Phase.MONITORING: 2.5,
    Phase.ADJUSTING: 1.0,
    Phase.EVALUATION: 0.8,
}


def _fits(person, slot: _Slot) -> bool:
    if person.origin in _STATUS_HOLDER_ORIGINS:  # status holders are in the Participation Act
        return slot.context == PA and not slot.closed
    return person.age >= _MIN_AGE.get(slot.context, 18)


# Current phase of the 40 open trajectories.
_OPEN_PHASE_MIX = {
    Phase.INTAKE: 5,
    Phase.PLAN: 6,
    Phase.EXECUTION: 9,
    Phase.MONITORING: 9,
    Phase.ADJUSTING: 5,
    Phase.EVALUATION: 6,
}
# How long ago (days) an open trajectory in this phase started.
_START_RANGE = {
    Phase.INTAKE: (30, 60),
    Phase.PLAN: (35, 110),
    Phase.EXECUTION: (60, 400),
    Phase.MONITORING: (90, 500),
    Phase.ADJUSTING: (120, 520),
    Phase.EVALUATION: (200, 548),
}

# ---------------------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Person:
    first_name: str
    infix: str
    last_name: str
    female: bool
    origin: str
    date_of_birth: dt.date
    age: int


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(name=ORGANISATION_NAME).first()


class _Generator:
    def __init__(self, today: dt.date):
        self.today = today
        self.rng = random.Random(SEED)
        self.uuid_rng = random.Random(f"{SEED}-uuid")
        self.tz = timezone.get_current_timezone()
        self.used: Counter = Counter()

    # -- helpers -------------------------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        """Deterministic public ids, so a reset demo keeps the same URLs."""
        return uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)

    def pick(self, candidates: list, exclude=()):
        """The least used candidate so far (ties broken at random): varied texts across the demo."""
        pool = [c for c in candidates if c not in exclude] or list(candidates)
        self.rng.shuffle(pool)
        choice = min(pool, key=lambda c: self.used[c])
        self.used[choice] += 1
        return choice

    def moment(self, day: dt.date) -> dt.datetime:
        """A time during office hours on ``day``, aware in the project's time zone."""
        clock = dt.time(self.rng.randint(8, 16), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        return timezone.make_aware(dt.datetime.combine(day, clock), self.tz)

    def spread_days(self, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
        """``count`` distinct sorted days in (start, end]; fewer when the span is too short."""
        span = (end - start).days
        if span <= 0 or count <= 0:
            return []
        offsets = sorted(self.rng.sample(range(1, span + 1), min(count, span)))
        return [start + dt.timedelta(days=o) for o in offsets]

    # -- people --------------------------------------------------------------------------------------------

    def birth_date(self, age: int) -> dt.date:
        """A date of birth that makes the person exactly ``age`` today."""
        anchor = self.today - dt.timedelta(days=self.rng.randint(0, 364))
        try:
            return anchor.replace(year=anchor.year - age)
        except ValueError:  # 29 February in a year without it
            return anchor.replace(year=anchor.year - age, day=28)

    def people(self) -> list[_Person]:
        origins = [origin for origin, n in _ORIGIN_MIX.items() for _ in range(n)]
        assert len(origins) == CLIENT_COUNT
        self.rng.shuffle(origins)
        people, seen = [], set()
        for origin in origins:
            while True:
                female = self.rng.random() < 0.5
                age = self.rng.randint(19, 63)
                if origin == "nederlands":
                    first = self.rng.choice(
                        _DUTCH_FIRST[("f" if female else "m", "old" if age >= 42 else "young")]
                    )
                    infix, last = _split_infix(self.rng.choice(_DUTCH_LAST))
                else:
                    female_names, male_names, last_names = _OTHER_ORIGINS[origin]
                    first = self.rng.choice(female_names if female else male_names)
                    last = self.rng.choice(last_names)
                    if "/" in last:  # Polish: male/female form
                        last = last.split("/")[1 if female else 0]
                    infix = ""
                if (first, last) not in seen:
                    seen.add((first, last))
                    break
            people.append(_Person(first, infix, last, female, origin, self.birth_date(age), age))
        return people

    def bsn(self, taken: set[str]) -> str:
        while True:
            digits = [self.rng.randint(1, 6)] + [self.rng.randint(0, 9) for _ in range(7)]
            check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
            if check == 10:
                continue
            value = "".join(map(str, digits)) + str(check)
            if value not in taken and len(set(value)) > 3 and bsn_is_valid(value):
                taken.add(value)
                return value

    def contact(self, person: _Person) -> dict:
        def ascii_part(text: str) -> str:
            text = text.replace("ł", "l").replace("Ł", "L").replace("ı", "i")
            text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
            return "".join(ch for ch in text.lower() if ch.isalnum())

        first, last = ascii_part(person.first_name), ascii_part(person.infix + person.last_name)
        local = self.rng.choice(
            [f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{person.date_of_birth.year % 100:02d}"]
        )
        street = self.rng.choice(_STREETS)
        number = str(self.rng.randint(1, 160)) + (self.rng.choice(["", "", "", "", "a", "b", "-2"]))
        letters = self.rng.choice(_POSTCODE_FIRST) + self.rng.choice(_POSTCODE_SECOND)
        postal = f"{self.postal_area[street]} {letters}"
        return {
            "email": f"{local}@{self.rng.choice(_MAIL_DOMAINS)}",
            "phone": f"06-{self.rng.randint(10000000, 59999999)}",
            "street": f"{street} {number}",
            "postal_code": postal,
            "city": CITY,
        }

    # -- the whole demo ------------------------------------------------------------------------------------

    def run(self) -> DemoSummary:
        rng = self.rng
        self.postal_area = {street: str(7941 + rng.randint(0, 8)) for street in _STREETS}

        organisation = Organisation.objects.create(
            uuid=self.uuid(), name=ORGANISATION_NAME, kind=OrganisationKind.MUNICIPALITY
        )
        teams = {
            TEAM_WI: Team.objects.create(
                uuid=self.uuid(), organisation=organisation, name=TEAM_WI, kind=OrganisationKind.MUNICIPALITY
            ),
            TEAM_BRUG: Team.objects.create(
                uuid=self.uuid(),
                organisation=organisation,
                name=TEAM_BRUG,
                kind=OrganisationKind.REINTEGRATION_COMPANY,
            ),
        }
        password_hash = make_password(DEMO_PASSWORD)
        users: dict[str, User] = {}
        for staff in _STAFF:
            user = User.objects.create(
                uuid=self.uuid(),
                username=staff.username,
                password=password_hash,
                first_name=staff.first_name,
                last_name=staff.last_name,
                email=f"{staff.username}.{staff.last_name.replace(' ', '').lower()}@{STAFF_EMAIL_DOMAIN}",
                organisation=organisation,
                role=staff.role,
                profession=staff.profession,
            )
            TeamMembership.objects.bulk_create(
                TeamMembership(user=user, team=teams[name]) for name in staff.teams
            )
            users[staff.username] = user

        # Match people to the caseload plan; the most constrained people choose first.
        people = self.people()
        slots = _caseload_plan()
        rng.shuffle(slots)
        assignment: list[tuple[_Person, _Slot]] = []
        for person in sorted(people, key=lambda p: sum(_fits(p, s) for s in slots)):
            slot = next((s for s in slots if _fits(person, s)), slots[0])
            slots.remove(slot)
            assignment.append((person, slot))
        rng.shuffle(assignment)

        with_bsn = set(rng.sample(range(CLIENT_COUNT), k=32))
        taken_bsns: set[str] = set()
        open_phases = [phase for phase, n in _OPEN_PHASE_MIX.items() for _ in range(n)]
        rng.shuffle(open_phases)
        end_reasons = list(_OTHER_END_REASONS)
        rng.shuffle(end_reasons)

        clients = []
        for index, (person, slot) in enumerate(assignment):
            clients.append(
                Client(
                    uuid=self.uuid(),
                    organisation=organisation,
                    first_name=person.first_name,
                    infix=person.infix,
                    last_name=person.last_name,
                    date_of_birth=person.date_of_birth,
                    bsn=self.bsn(taken_bsns) if index in with_bsn else "",
                    created_by=users[slot.username],
                    **self.contact(person),
                )
            )
        Client.objects.bulk_create(clients)

        trajectories, phase_changes, conversations, actions = [], [], [], []
        for client, (person, slot) in zip(clients, assignment, strict=True):
            responsible = users[slot.username]
            words = self.words(person)
            if slot.closed:
                reason = self.end_reason(slot.context, end_reasons)
                final_phase = (
                    Phase.EVALUATION
                    if reason in (EndReason.PAID_WORK, EndReason.WORK_OWN_EMPLOYER, EndReason.EDUCATION)
                    else rng.choice([Phase.PLAN, Phase.EXECUTION, Phase.MONITORING, Phase.ADJUSTING])
                )
                start = self.today - dt.timedelta(days=rng.randint(240, 548))
                end = self.today - dt.timedelta(days=rng.randint(7, 150))
                last_day = end
            else:
                reason, end = "", None
                final_phase = open_phases.pop()
                low, high = _START_RANGE[final_phase]
                start = self.today - dt.timedelta(days=rng.randint(low, high))
                last_day = self.today
            if person.age < 20:  # nobody starts a trajectory before turning 18
                start = max(start, self.today - dt.timedelta(days=300))

            trajectory = Trajectory(
                uuid=self.uuid(),
                client=client,
                organisation=organisation,
                team=teams[slot.team],
                responsible=responsible,
                context=slot.context,
                start_date=start,
                question=self.question(slot.context, person).format_map(words),
                phase=final_phase,
                end_date=end,
                end_reason=reason,
                end_note=rng.choice(_END_NOTES[reason]).format_map(words) if reason else "",
            )
            history = self.history(trajectory, final_phase, start, last_day, responsible)
            trajectory.phase_since = history[-1].changed_at
            trajectories.append((trajectory, history))
            conversations.extend(self.conversations(trajectory, history, start, last_day, responsible, words))
            actions.extend(self.actions(trajectory, person, history, end, responsible, words))

        # The rows below refer to their trajectory object; bulk_create fills in its new primary key.
        Trajectory.objects.bulk_create(t for t, _ in trajectories)
        for _trajectory, history in trajectories:
            phase_changes.extend(history)
        PhaseChange.objects.bulk_create(phase_changes)
        Conversation.objects.bulk_create(conversations)
        Action.objects.bulk_create(actions)
        measurements = _DemoMeasurements(self).create([(t, h) for t, h in trajectories])
        cycle = _DemoCycle(self).create([(t, h) for t, h in trajectories], conversations)
        from waardewerk.sampledata import portal as portal_demo

        portal = portal_demo.create(self, [(t, h) for t, h in trajectories])

        return DemoSummary(
            counts={
                "organisation": 1,
                "teams": len(teams),
                "users": len(users),
                "clients": len(clients),
                "trajectories": len(trajectories),
                "open trajectories": sum(1 for t, _ in trajectories if t.end_date is None),
                "phase changes": len(phase_changes),
                "conversations": len(conversations),
                "actions": len(actions),
                "measurements": measurements,
                **cycle,
                **portal,
            }
        )

    # -- per trajectory ------------------------------------------------------------------------------------

    def words(self, person: _Person) -> dict:
        rng = self.rng
        employer = rng.choice(sorted(_EMPLOYERS))
        aanhef = "mevrouw" if person.female else "meneer"
        pronoun = "zij" if person.female else "hij"
        return {
            "aanhef": aanhef,
            "Aanhef": aanhef.capitalize(),
            "hij": pronoun,
            "Hij": pronoun.capitalize(),
            "zijn": "haar" if person.female else "zijn",
            "hem": "haar" if person.female else "hem",
            "werkgever": employer,
            "beroep": rng.choice(_EMPLOYERS[employer]),
            "leeftijd": person.age,
            "dienstjaren": rng.randint(2, max(2, min(25, person.age - 20))),
            "jaren_zonder_werk": rng.randint(2, 8),
        }

    def question(self, context: str, person: _Person) -> str:
        in_context = [q for q in _QUESTIONS if q.context == context]
        fitting = [
            q
            for q in in_context
            if q.min_age <= person.age <= q.max_age and (q.origins is None or person.origin in q.origins)
        ]
        if person.origin in _STATUS_HOLDER_ORIGINS:
            fitting = [q for q in fitting if q.origins] or fitting
        return self.pick(fitting or in_context).text

    def end_reason(self, context: str, pool: list[str]) -> str:
        if context == FT:
            return EndReason.WORK_OWN_EMPLOYER
        if context in (ST, WW):
            return EndReason.PAID_WORK
        return pool.pop() if pool else EndReason.CLIENT_STOPPED

    def phase_path(self, final: str, span_days: int) -> list[str]:
        """The phases from intake to ``final``, sometimes with a round through adjusting."""
        base = PHASE_ORDER[: PHASE_ORDER.index(final) + 1]
        if final == Phase.EVALUATION:  # straight from monitoring when all went to plan
            base.remove(Phase.ADJUSTING)
        roll = self.rng.random()
        if (
            span_days >= 150
            and final in (Phase.EXECUTION, Phase.MONITORING, Phase.EVALUATION)
            and roll < 0.35
        ):
            cut = base.index(Phase.EXECUTION) + 1
            return [*base[:cut], Phase.MONITORING, Phase.ADJUSTING, Phase.EXECUTION, *base[cut:]]
        if span_days >= 120 and final == Phase.PLAN and roll < 0.3:
            return [Phase.INTAKE, Phase.PLAN, Phase.EXECUTION, Phase.MONITORING, Phase.ADJUSTING, Phase.PLAN]
        return base

    def history(self, trajectory, final, start, last_day, actor) -> list[PhaseChange]:
        # Open trajectories change phase at the latest yesterday, so phase_since is always in the past.
        until = min(last_day, self.today - dt.timedelta(days=1))
        span = (until - start).days
        path = self.phase_path(final, span)
        # Each phase (the current one included) gets a share of the time after its typical length.
        weights = [_PHASE_WEIGHT[phase] * self.rng.uniform(0.6, 1.5) for phase in path]
        offsets, share = [], 0.0
        for position, weight in enumerate(weights[:-1], start=1):
            share += weight
            lowest = offsets[-1] + 1 if offsets else min(5, span)
            highest = span - (len(weights) - 1 - position)
            offsets.append(min(max(round(span * share / sum(weights)), lowest), highest))
        days = [start, *(start + dt.timedelta(days=offset) for offset in offsets)]
        changes = [
            PhaseChange(
                uuid=self.uuid(),
                trajectory=trajectory,
                from_phase="",
                to_phase=Phase.INTAKE,
                reason=_START_REASON,
                changed_by=actor,
                changed_at=self.moment(start),
            )
        ]
        for previous, phase, day in zip(path[:-1], path[1:], days[1:], strict=True):
            changes.append(
                PhaseChange(
                    uuid=self.uuid(),
                    trajectory=trajectory,
                    from_phase=previous,
                    to_phase=phase,
                    reason=self.rng.choice(_PHASE_REASONS[(previous, phase)]),
                    changed_by=actor,
                    changed_at=self.moment(day),
                )
            )
        return changes

    def conversations(self, trajectory, history, start, last_day, actor, words) -> list[Conversation]:
        rng = self.rng
        span = (last_day - start).days
        count = max(2, min(8, span // 35 + rng.randint(1, 2)))
        days = {start}
        last_change = history[-1].changed_at.date()
        if last_change > start:  # a conversation soon after the latest move in the cycle
            days.add(min(last_day, last_change + dt.timedelta(days=rng.randint(0, 4))))
        days.update(self.spread_days(start, last_day, count - len(days)))
        rows, used = [], set()
        for day in sorted(days):
            first = day == start
            phase = [c.to_phase for c in history if c.changed_at.date() <= day][-1]
            fitting = [
                t
                for t in _CONVERSATIONS
                if t.phase == phase
                and trajectory.context in t.contexts
                and (t.when == "any" or (t.when == "first") == first)
                and words["leeftijd"] <= t.max_age
            ]
            if not first and all(t in used for t in fitting):
                continue  # rather fewer conversations than the same summary twice
            text = self.pick(fitting, exclude=used)
            used.add(text)
            rows.append(
                Conversation(
                    uuid=self.uuid(),
                    trajectory=trajectory,
                    date=day,
                    mode=text.mode or self.mode(phase, trajectory.context, first),
                    phase=phase,
                    summary=text.text.format_map(words),
                    recorded_by=actor,
                )
            )
        return rows

    def mode(self, phase: str, context: str, first: bool) -> str:
        modes = ConversationMode
        if first:
            options = [modes.IN_PERSON]
        elif phase in (Phase.EXECUTION, Phase.MONITORING):
            options = [modes.IN_PERSON, modes.PHONE, modes.PHONE, modes.VIDEO]
            options += [modes.AT_WORK] * (2 if context in (FT, ST, WIA) else 1)
        else:
            options = [modes.IN_PERSON] * 3 + [modes.VIDEO, modes.PHONE]
            if context in (PA, OT):
                options.append(modes.HOME_VISIT)
            elif context in (FT, ST, WIA):
                options.append(modes.AT_WORK)
        return self.rng.choice(options)

    def actions(self, trajectory, person, history, end, actor, words) -> list[Action]:
        rng, today, start, phase = self.rng, self.today, trajectory.start_date, trajectory.phase
        last_day = end or today
        stage = {Phase.INTAKE: 0, Phase.PLAN: 0, Phase.EVALUATION: 2}.get(phase, 1)
        count = rng.randint(2, 3) if stage == 0 else rng.randint(3, 6)
        fitting = [
            a
            for a in _ACTIONS
            if trajectory.context in a.contexts
            and (not a.newcomers_only or person.origin in _NEWCOMER_ORIGINS)
        ]
        done_pool = [a for a in fitting if a.stage <= min(stage, 1)]
        open_pool = [a for a in fitting if a.stage == stage]
        done_count = rng.randint(0, 1) if stage == 0 else rng.randint(1, count - 1)
        # Done actions fall in the part of the trajectory they belong to: before or after execution began.
        execution_began = next(
            (c.changed_at.date() for c in history if c.to_phase == Phase.EXECUTION), last_day
        )
        windows = {
            0: (start + dt.timedelta(days=3), execution_began),
            1: (execution_began, last_day - dt.timedelta(days=1)),
        }
        rows, used = [], set()
        for i in range(count):
            done = i < done_count
            text = self.pick(done_pool if done else open_pool, exclude=used)
            used.add(text)
            if done:
                low, high = windows[text.stage]
                due = low + dt.timedelta(days=rng.randint(0, max(0, (high - low).days)))
                completed = min(last_day, max(start, due + dt.timedelta(days=rng.randint(-7, 3))))
                status = ActionStatus.DONE
            else:
                completed = None
                if end is not None:  # closed: what was still open got cancelled at closing
                    due = max(start, end + dt.timedelta(days=rng.randint(-20, 21)))
                    status = ActionStatus.CANCELLED
                else:
                    overdue = rng.random() < 0.15
                    offset = -rng.randint(1, 14) if overdue else rng.randint(3, 35)
                    due = max(start + dt.timedelta(days=1), today + dt.timedelta(days=offset))
                    status = ActionStatus.OPEN
            agreed = min(max(start, due - dt.timedelta(days=14)), last_day)
            if completed is not None:
                agreed = min(agreed, completed)
            rows.append(
                Action(
                    uuid=self.uuid(),
                    agreed_on=agreed,
                    trajectory=trajectory,
                    description=text.text.format_map(words),
                    owner=text.owner,
                    due_date=due,
                    status=status,
                    completed_on=completed,
                    created_by=actor,
                )
            )
        return rows


# ---------------------------------------------------------------------------------------------------------
# Measurement histories
# ---------------------------------------------------------------------------------------------------------

_IGM_NOTES = {
    "self_efficacy": [
        "Twijfelt of ze het tempo aankan; noemt wel eerdere successen als vrijwilliger.",
        "Gelooft meer in eigen kunnen sinds de werkervaringsplek.",
        "Zegt zelf: 'ik weet niet of ik het nog kan'.",
    ],
    "practical_barriers": [
        "Kinderopvang is nog niet geregeld.",
        "Reistijd met het openbaar vervoer is lang; fiets is een optie.",
        "Schulden lopen via budgetbeheer; geeft rust.",
    ],
    "social_influence": [
        "Partner steunt de stap naar werk.",
        "Familie verwacht dat hij snel werk vindt; voelt druk.",
    ],
    "intention": ["Wil binnen drie maanden starten met een proefplaatsing."],
}
_CORRECTION_REASON = "Antwoord bij inkomen verkeerd ingevoerd; met cliënt nagelopen."


class _DemoMeasurements:
    """Realistic measurement histories: LWC and IGM (client and professional) every quarter, the
    participation ladder every half year; some clients improve, some stay level, a few fall back."""

    def __init__(self, generator: _Generator):
        self.g = generator
        self.rng = generator.rng

    def create(self, trajectories) -> int:
        from waardewerk.instruments.models import Measurement
        from waardewerk.instruments.scoring import score
        from waardewerk.instruments.services import current_version, refresh_due

        versions = {key: current_version(key) for key in ("lwc", "igm", "participatieladder")}
        rows: list[Measurement] = []
        corrections: list[Measurement] = []
        for trajectory, history in trajectories:
            trend = self.rng.choices(["up", "level", "down"], weights=[6, 3, 1])[0]
            last_day = min(trajectory.end_date or self.g.today, self.g.today)
            intake = trajectory.start_date + dt.timedelta(days=self.rng.randint(3, 21))
            if intake > last_day:
                continue
            lwc_days = self._days(intake, last_day, 91)
            ladder_days = self._days(intake, last_day, 182)
            lwc = self._lwc_start()
            igm = {
                k: self.rng.randint(2, 3)
                for k in (
                    "attitude",
                    "social_influence",
                    "self_efficacy",
                    "intention",
                    "knowledge_skills",
                    "practical_barriers",
                )
            }
            rung = self.rng.randint(2, 4) if trajectory.context != Context.FIRST_TRACK else 5
            for step, day in enumerate(lwc_days):
                if step:
                    lwc = self._lwc_next(lwc, trend)
                    igm = self._igm_next(igm, trend)
                phase = self._phase_on(history, day)
                last_lwc = self._row(versions["lwc"], trajectory, phase, day, "client", lwc, score)
                rows.append(last_lwc)
                rows.append(self._row(versions["igm"], trajectory, phase, day, "client", igm, score))
                professional = {
                    k: max(1, min(5, v + self.rng.choice([-1, 0, 0, 0, 1]))) for k, v in igm.items()
                }
                notes = {}
                for item, texts in _IGM_NOTES.items():
                    if self.rng.random() < 0.35:
                        notes[item] = self.rng.choice(texts)
                rows.append(
                    self._row(
                        versions["igm"], trajectory, phase, day, "professional", professional, score, notes
                    )
                )
            for step, day in enumerate(ladder_days):
                if step:
                    if trend == "up" and rung < 6:
                        rung += 1
                    elif trend == "down" and rung > 1 and self.rng.random() < 0.5:
                        rung -= 1
                phase = self._phase_on(history, day)
                rows.append(
                    self._row(
                        versions["participatieladder"],
                        trajectory,
                        phase,
                        day,
                        "professional",
                        {"rung": rung},
                        score,
                    )
                )
            if trajectory.end_reason in (EndReason.PAID_WORK, EndReason.WORK_OWN_EMPLOYER):
                # Work found: the final ladder score says so (paid work, with or without support).
                final = trajectory.end_date - dt.timedelta(days=self.rng.randint(1, 5))
                if final > (ladder_days[-1] if ladder_days else intake):
                    rows.append(
                        self._row(
                            versions["participatieladder"],
                            trajectory,
                            self._phase_on(history, final),
                            final,
                            "professional",
                            {"rung": self.rng.choice([5, 6])},
                            score,
                        )
                    )
            if len(lwc_days) >= 2 and self.rng.random() < 0.1:
                corrections.append(last_lwc)
        Measurement.objects.bulk_create(rows)
        count = len(rows)
        for original in corrections:
            answers = dict(original.answers)
            answers["income.achieved"] = min(5, answers["income.achieved"] + 1)
            fixed = self._row(
                versions["lwc"],
                original.trajectory,
                original.phase,
                original.taken_on,
                "client",
                answers,
                score,
            )
            fixed.corrects = original
            fixed.correction_reason = _CORRECTION_REASON
            fixed.submitted_at = original.submitted_at + dt.timedelta(days=2)
            fixed.save()
            count += 1
        refresh_due(Trajectory.objects.filter(pk__in=[t.pk for t, _ in trajectories]))
        return count

    def _days(self, first: dt.date, last: dt.date, interval: int) -> list[dt.date]:
        days, day = [], first
        while day <= last:
            days.append(day)
            day += dt.timedelta(days=interval + self.rng.randint(-10, 20))
        return days

    def _lwc_start(self) -> dict:
        values = (
            "use_skills",
            "develop_skills",
            "involvement",
            "contacts",
            "own_goals",
            "income",
            "contribution",
        )
        answers = {"overall": self.rng.randint(2, 3)}
        for value in values:
            importance = self.rng.choices([2, 3, 4, 5], weights=[1, 2, 4, 4])[0]
            enabled = self.rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 3, 3, 1])[0]
            achieved = min(enabled, self.rng.choices([1, 2, 3, 4], weights=[2, 3, 3, 2])[0])
            answers |= {
                f"{value}.importance": importance,
                f"{value}.enabled": enabled,
                f"{value}.achieved": achieved,
            }
        return answers

    def _lwc_next(self, answers: dict, trend: str) -> dict:
        out = dict(answers)
        delta = {"up": (0, 1, 1, 1), "level": (-1, 0, 0, 1), "down": (-1, -1, 0, 0)}[trend]
        for key in out:
            if key.endswith(".importance"):
                continue
            out[key] = max(1, min(5, out[key] + self.rng.choice(delta)))
        return out

    def _igm_next(self, ratings: dict, trend: str) -> dict:
        delta = {"up": (0, 1, 1), "level": (-1, 0, 1), "down": (-1, -1, 0)}[trend]
        return {k: max(1, min(5, v + self.rng.choice(delta))) for k, v in ratings.items()}

    @staticmethod
    def _phase_on(history, day: dt.date) -> str:
        phase = history[0].to_phase
        for change in history:
            if change.changed_at.date() <= day:
                phase = change.to_phase
        return phase

    def _row(self, version, trajectory, phase, day, respondent, answers, score, notes=None):
        import json

        from waardewerk.instruments.definition import Definition
        from waardewerk.instruments.models import Measurement

        definition = Definition(version.definition)
        return Measurement(
            uuid=self.g.uuid(),
            trajectory=trajectory,
            instrument_id=version.instrument_id,
            instrument_version=version,
            respondent=respondent,
            framing=definition.default_framing(respondent, trajectory.context),
            phase=phase,
            taken_on=day,
            status="submitted",
            submitted_at=self.g.moment(day),
            answers=answers,
            notes=json.dumps(notes, ensure_ascii=False) if notes else "",
            score=score(version.definition, answers),
            entered_by=trajectory.responsible,
        )


# ---------------------------------------------------------------------------------------------------------
# The methodical cycle: guide topics in conversations, plans with versions and agreement, progress notes,
# adjustments and evaluations
# ---------------------------------------------------------------------------------------------------------

_GOALS = {
    "work": [
        "Ik wil weer werk waar ik met mijn handen bezig ben, het liefst buiten.",
        "Over een half jaar werk ik weer minstens 20 uur per week.",
        "Ik wil werk waar ik iets voor anderen kan betekenen.",
        "Ik wil een vaste baan, zodat ik niet meer afhankelijk ben van een uitkering.",
    ],
    "own_work": [
        "Ik wil terug in mijn eigen functie, met aangepaste taken zolang het nodig is.",
        "Ik wil mijn uren stap voor stap weer opbouwen tot mijn contracturen.",
    ],
    "steps": [
        "Ik wil weer een vast ritme hebben, elke dag om acht uur op.",
        "Ik wil durven solliciteren zonder dat ik me vooraf al afgewezen voel.",
        "Ik wil een opleiding afmaken die past bij wat ik kan en wil.",
        "Ik wil meer mensen leren kennen buiten mijn eigen straat.",
    ],
}
_CHOICES = [
    (
        "Werkervaringsplaats met een vaste begeleider op de werkvloer",
        "IPS: eerst plaatsen, dan trainen (Movisie-databank)",
        "good_indications",
        "Bij deze cliënt werkt leren in de praktijk beter dan een cursus; eerdere stage liep goed.",
        "Liever meteen aan de slag dan nog een cursus.",
    ),
    (
        "Opbouwschema in uren, elke vier weken evalueren met de leidinggevende",
        "",
        "practice",
        "Geleidelijke opbouw voorkomt terugval; in het team hebben we hier goede ervaringen mee.",
        "Ik wil niet te snel, maar ook niet thuis blijven zitten.",
    ),
    (
        "Sollicitatietraining in een kleine groep",
        "Richtlijn re-integratie: groepstraining versterkt eigen effectiviteit",
        "well_founded",
        "Eigen effectiviteit is laag gescoord; oefenen met anderen geeft succeservaringen.",
        "",
    ),
    (
        "Jobcoach bij de start van het werk",
        "",
        "",
        "Praktische belemmeringen op het werk vangen we zo vroeg op.",
        "Fijn als er iemand is die ik kan bellen.",
    ),
]
_NOTES = [
    "Cliënt is deze week drie ochtenden naar de werkplek geweest; voelt zich moe maar tevreden.",
    "Gebeld: sollicitatiebrief verstuurd, nog geen reactie. Cliënt blijft gemotiveerd.",
    "Leidinggevende positief over de eerste weken; uren blijven voorlopig gelijk.",
    "Cliënt heeft een week niet gewerkt door privéomstandigheden; volgende week weer verder.",
]
_ADJUSTMENTS = [
    (
        "event",
        "Cliënt is verhuisd; de reistijd naar de werkplek is nu ruim een uur.",
        "De reistijd kost te veel energie, daardoor lukt de opbouw niet.",
        "We zoeken een werkplek dichter bij huis; opbouw in uren blijft hetzelfde.",
    ),
    (
        "measurement",
        "",
        "Eigen effectiviteit is bij de laatste meting gedaald; cliënt twijfelt aan zichzelf.",
        "Kleinere stappen met sneller succes: eerst twee dagdelen, daarna verder kijken.",
    ),
    (
        "conversation",
        "",
        "In het gesprek gaf de cliënt aan dat het werk niet past bij wat hij belangrijk vindt.",
        "We verleggen de zoekrichting naar werk waarin contact met mensen centraal staat.",
    ),
]
_CLIENT_EVALUATIONS = [
    "Ik had niet gedacht dat ik weer zou werken. Het hielp dat ik zelf mocht kiezen.",
    "Het ging soms te snel, maar ik ben blij dat ik nu een ritme heb.",
    "Ik voelde me gehoord. Het werk past bij me.",
]
_REFLECTIONS = [
    (
        "Kleine stappen en snel succes; de werkgever vroeg betrekken.",
        "Eerder het netwerk van de cliënt gebruiken.",
        "Het belang van contact met collega's hebben we pas laat besproken.",
    ),
    (
        "Samen de waarden in kaart brengen gaf richting.",
        "De LWC eerder herhalen om de opbouw te volgen.",
        "De partner had een rol kunnen krijgen in het plan.",
    ),
]


class _DemoCycle:
    def __init__(self, generator: _Generator):
        self.g = generator
        self.rng = generator.rng

    def create(self, trajectories, conversations) -> dict:
        from waardewerk.instruments.models import Measurement
        from waardewerk.knowledge.selectors import current_guide
        from waardewerk.trajectories.models import (
            Adjustment,
            Evaluation,
            PlanAgreement,
            PlanVersion,
            ProgressNote,
        )
        from waardewerk.trajectories.plan import Choice, Goal, PlanContent

        found = current_guide()
        guide_version, guide = found if found else (None, None)
        for conversation in conversations:
            conversation.participants = ["client", "professional"]
            if conversation.trajectory.context == Context.FIRST_TRACK and self.rng.random() < 0.3:
                conversation.participants.append("employer")
                conversation.other_participants = "Leidinggevende"
            if guide is not None:
                topics = guide.topics_for(conversation.phase, conversation.trajectory.context)
                chosen = self.rng.sample(topics, k=min(len(topics), self.rng.randint(2, 4)))
                conversation.topics = [t.key for t in chosen]
                conversation.guide_version = guide_version
        Conversation.objects.bulk_update(
            conversations, ["participants", "other_participants", "topics", "guide_version"]
        )

        igm_by_trajectory: dict[int, list] = {}
        for m in Measurement.objects.filter(instrument__key="igm", respondent="client").only(
            "pk", "trajectory_id", "taken_on"
        ):
            igm_by_trajectory.setdefault(m.trajectory_id, []).append(m)
        latest_rung: dict[int, int] = {}
        for m in Measurement.objects.filter(instrument__key="participatieladder").order_by("taken_on", "id"):
            latest_rung[m.trajectory_id] = m.answers["rung"]
        versions, agreements, notes, adjustments, evaluations = [], [], [], [], []
        created_at = []  # (object, moment): auto_now_add ignores given values, so they are set afterwards
        for trajectory, history in trajectories:
            reached = {change.to_phase: change.changed_at for change in history}
            actor = trajectory.responsible
            if Phase.PLAN in reached:
                day = reached[Phase.PLAN]
                pool = _GOALS["own_work"] if trajectory.context == Context.FIRST_TRACK else _GOALS["work"]
                goals = [
                    Goal(
                        f"g-{self.rng.getrandbits(32):08x}",
                        self.rng.choice(pool),
                        self.rng.sample(["use_skills", "contacts", "income", "contribution", "own_goals"], 2),
                        self.rng.sample(
                            ["self_efficacy", "attitude", "practical_barriers", "knowledge_skills"], 1
                        ),
                    ),
                    Goal(
                        f"g-{self.rng.getrandbits(32):08x}",
                        self.rng.choice(_GOALS["steps"]),
                        [],
                        self.rng.sample(["self_efficacy", "intention", "social_influence"], 1),
                    ),
                ]
                picks = self.rng.sample(_CHOICES, 2)
                choices = [
                    Choice(f"c-{self.rng.getrandbits(32):08x}", d, goals[i % 2].key, r, lvl, e, pref)
                    for i, (d, r, lvl, e, pref) in enumerate(picks)
                ]
                version = PlanVersion(
                    uuid=self.g.uuid(),
                    trajectory=trajectory,
                    number=1,
                    content=PlanContent(goals, choices).to_json(),
                    reason="Eerste versie van het plan",
                    created_by=actor,
                )
                versions.append(version)
                created_at.append((version, day))
                agreed = day.date() + dt.timedelta(days=self.rng.randint(1, 10))
                if agreed <= self.g.today and self.rng.random() < 0.85:
                    agreements.append(
                        PlanAgreement(
                            uuid=self.g.uuid(),
                            plan_version=version,
                            agreed_on=agreed,
                            method=self.rng.choice(["conversation", "signed"]),
                            recorded_by=actor,
                        )
                    )
                if Phase.ADJUSTING in reached:
                    adjust_day = reached[Phase.ADJUSTING].date()
                    kind, event, reason, change = self.rng.choice(_ADJUSTMENTS)
                    measurement = None
                    if kind == "measurement":
                        earlier = [
                            m for m in igm_by_trajectory.get(trajectory.pk, []) if m.taken_on <= adjust_day
                        ]
                        if earlier:
                            measurement = max(earlier, key=lambda m: m.taken_on)
                        else:
                            kind, event = "event", "Terugval na een drukke periode thuis."
                    adjustments.append(
                        Adjustment(
                            uuid=self.g.uuid(),
                            trajectory=trajectory,
                            date=adjust_day,
                            prompted_by=kind,
                            measurement=measurement,
                            event=event,
                            reason=reason,
                            change=change,
                            recorded_by=actor,
                        )
                    )
                    goals[0] = Goal(
                        goals[0].key,
                        goals[0].text + " Eerst in kleinere stappen.",
                        goals[0].values,
                        goals[0].determinants,
                    )
                    second = PlanVersion(
                        uuid=self.g.uuid(),
                        trajectory=trajectory,
                        number=2,
                        content=PlanContent(goals, choices).to_json(),
                        reason=f"Bijgestuurd: {change}",
                        created_by=actor,
                    )
                    versions.append(second)
                    created_at.append((second, self.g.moment(adjust_day + dt.timedelta(days=1))))
                    agreed = adjust_day + dt.timedelta(days=self.rng.randint(2, 9))
                    if agreed <= self.g.today:
                        agreements.append(
                            PlanAgreement(
                                uuid=self.g.uuid(),
                                plan_version=second,
                                agreed_on=agreed,
                                method="conversation",
                                recorded_by=actor,
                            )
                        )
            if Phase.MONITORING in reached:
                start = reached[Phase.MONITORING].date()
                for _ in range(self.rng.randint(1, 3)):
                    day = min(start + dt.timedelta(days=self.rng.randint(3, 60)), self.g.today)
                    notes.append(
                        ProgressNote(
                            uuid=self.g.uuid(),
                            trajectory=trajectory,
                            date=day,
                            text=self.rng.choice(_NOTES),
                            recorded_by=actor,
                        )
                    )
            if Phase.EVALUATION in reached and (trajectory.end_date or self.rng.random() < 0.6):
                work = trajectory.end_reason in (EndReason.PAID_WORK, EndReason.WORK_OWN_EMPLOYER) or (
                    not trajectory.end_date and self.rng.random() < 0.5
                )
                what, differently, missed = self.rng.choice(_REFLECTIONS)
                evaluation = Evaluation(
                    uuid=self.g.uuid(),
                    trajectory=trajectory,
                    work=work,
                    employer=self.rng.choice(
                        [
                            "Zorggroep Lindendaal",
                            "Metaalbewerking Brink",
                            "Gemeente Lindendaal",
                            "Bakkerij Van Dam",
                        ]
                    )
                    if work
                    else "",
                    job_title=self.rng.choice(
                        [
                            "Medewerker facilitair",
                            "Zorghulp",
                            "Productiemedewerker",
                            "Administratief medewerker",
                        ]
                    )
                    if work
                    else "",
                    hours_per_week=self.rng.choice([16, 20, 24, 32]) if work else None,
                    contract_type=self.rng.choice(["temporary", "permanent", "agency"]) if work else "",
                    with_support=self.rng.random() < 0.4 if work else None,
                    ladder_rung=latest_rung.get(trajectory.pk) or (5 if work else 3),
                    client_evaluation=self.rng.choice(_CLIENT_EVALUATIONS),
                    what_worked=what,
                    do_differently=differently,
                    missed_chances=missed,
                    recorded_by=actor,
                )
                evaluations.append(evaluation)
        PlanVersion.objects.bulk_create(versions)
        PlanAgreement.objects.bulk_create(agreements)
        ProgressNote.objects.bulk_create(notes)
        Adjustment.objects.bulk_create(adjustments)
        Evaluation.objects.bulk_create(evaluations)
        for obj, moment in created_at:
            obj.created_at = moment
        PlanVersion.objects.bulk_update([o for o, _ in created_at], ["created_at"])
        return {
            "plan versions": len(versions),
            "plan agreements": len(agreements),
            "progress notes": len(notes),
            "adjustments": len(adjustments),
            "evaluations": len(evaluations),
        }


# ---------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------


def create_demo(today: dt.date | None = None) -> DemoSummary | None:
    """Create the demo organisation with all its data; ``None`` when it already exists."""
    with transaction.atomic():
        if demo_organisation() is not None:
            return None
        taken = list(
            User.objects.filter(username__in=[s.username for s in _STAFF]).values_list("username", flat=True)
        )
        if taken:
            raise DemoError(
                f"User name(s) {', '.join(sorted(taken))} already exist outside the demo organisation; "
                "the demo needs them. Rename or remove those users first."
            )
        return _Generator(today or timezone.localdate()).run()


def delete_demo() -> bool:
    """Remove the demo organisation and everything in it; ``False`` when there was none.

    Trajectories, clients, users, teams and the organisation protect each other (PROTECT foreign keys),
    so they go in that order; phase changes, conversations, actions and memberships cascade.
    """
    with transaction.atomic():
        organisation = demo_organisation()
        if organisation is None:
            return False
        try:
            Trajectory.objects.filter(organisation=organisation).delete()
            Trajectory.objects.filter(client__organisation=organisation).delete()
            Client.objects.filter(organisation=organisation).delete()
            User.objects.filter(organisation=organisation).delete()
            Team.objects.filter(organisation=organisation).delete()
            organisation.delete()
        except ProtectedError as exc:
            blocking = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
            raise DemoError(
                "The demo data cannot be removed: other records still refer to it "
                f"({', '.join(str(b) for b in blocking)})."
            ) from exc
    return True
