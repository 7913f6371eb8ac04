"""Rule P6: suggestions that make a written record clearer, as the person writes it.

Rule-based and local: plain regular expressions over the text, no outside service and no database. It points out

- **initials** where a name is expected ("JB said", "told Mr K");
- **opinion** with none of the child's own words in quotes ("seemed", "I think", "obviously", "attention seeking");
- **blaming** words that put the harm on the child ("provocative", "asked for it");
- **no time**: the text tells of something that happened, and neither it nor the form says at what time of day;
- **vague** words that leave the reader guessing ("inappropriate", "upset", "some stuff", "things", "etc.").

Suggestions never block anything: the writer may ignore them all. Words inside quotation marks are the child's (or
someone's) own words, and are never questioned.

How well it does, measured by `concerns/tests/test_quality.py`, counting per report whether each kind is suggested
against what a careful reader would suggest. Two sets of fictional reports, written for the tests:

- `concerns/tests/data/quality_examples.toml`, 45 reports (24 well written, 21 poorly written, with ordinary text
  that must not be flagged: "IT", "PE", "ICT", "UK", "DSL", "Year 7", "Room C", initials in quotes). The rules were
  tuned on it, so its figures are an upper bound: precision 1.00 and recall 1.00 for every kind (initials 6 reports,
  opinion 6, blaming 4, no time 13, vague 8). The test holds each kind to precision >= 0.9, recall >= 0.8.
- `concerns/tests/data/quality_held_out.toml`, 15 reports written after the rules were settled and never tuned on:
  the honest figures.

      kind       precision     recall
      initials   1.00 (2/2)    0.67 (2/3)   missed "AM's mum": AM is also "am"
      opinion    1.00 (1/1)    0.50 (1/2)   missed "known troublemaker", "I doubt"
      blaming    -    (0/0)    0.00 (0/1)   missed "sent the picture willingly" (only "willingly sent" is listed)
      no_time    0.80 (4/5)    0.80 (4/5)
      vague      1.00 (2/2)    1.00 (2/2)
      all kinds  0.90 (9/10)   0.69 (9/13)

  It is right nine times in ten when it speaks, and misses about a third of what a careful reader would point out:
  it is a prompt for the writer, not a check anyone can rely on.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

KINDS = ("initials", "opinion", "blaming", "no_time", "vague")

# What the writer reads, one sentence per kind: calm, and saying what to do instead (marked for translation, J8).
ADVICE = {
    "initials": gettext_noop("Write each person’s full name the first time you mention them, so that anyone "
                             "reading this later knows who is meant."),
    "opinion": gettext_noop("Record what you saw and heard rather than what you think it means, and put the "
                            "child’s own words in quotation marks."),
    "blaming": gettext_noop("Describe what happened without words that could suggest the child is to blame: harm "
                            "is never the child’s fault."),
    "no_time": gettext_noop("Add the time of day it happened (for example 10:15am, or period 3), if you know it."),
    "vague": gettext_noop("Say exactly what was said, seen or done, so that the reader does not have to guess."),
}
TITLES = {
    "initials": gettext_noop("Initials instead of names"),
    "opinion": gettext_noop("Opinion without the child’s own words"),
    "blaming": gettext_noop("Words that could blame the child"),
    "no_time": gettext_noop("No time of day"),
    "vague": gettext_noop("Vague words"),
}


@dataclass(frozen=True)
class Suggestion:
    kind: str
    phrases: tuple  # the words in the text that prompted it, as written, each once, in order

    # J8: in the reader's language.
    @property
    def title(self):
        return gettext(TITLES[self.kind])

    @property
    def advice(self):
        return gettext(ADVICE[self.kind])


# -- Quotations ---------------------------------------------------------------------------------------------------

# Double quotes of any kind; single quotes only where they open after a space or bracket and close before one, so
# that an apostrophe ("didn't", "James' phone") is not taken for a quotation mark.
_QUOTED = re.compile(
    r"[\"“”„«][^\"“”„»«]{1,2000}[\"“”»]"
    r"|‘[^‘’]{1,2000}’"
    r"|(?<![\w])'(?=\S)[^'\n]{1,2000}?(?<=\S)'(?![\w])"
)


def _outside_quotes(text):
    """The text with everything inside quotation marks blanked out, and whether anything was quoted."""
    quoted = False

    def blank(match):
        nonlocal quoted
        if any(ch.isalpha() for ch in match.group(0)):
            quoted = True
        return " " * len(match.group(0))

    return _QUOTED.sub(blank, text), quoted


# -- Initials -----------------------------------------------------------------------------------------------------

# Capitals that are not someone's initials: subjects, roles, services, school words, common abbreviations and the
# shouting of ordinary words. Compared in upper case.
NOT_INITIALS = frozenset("""
    IT PE ICT RE RS DT PSHE RSE RSHE ESOL MFL EAL SEN SEND SENCO SENCo ENCO SENDCO EHCP EHC CP CIN LAC CLA PLAC CLA
    FSM PP ASD ADHD ADD ODD PDA SEMH SLCN MLD SLD PMLD VI HI OCD PTSD DSL DDSL DSP SLT SMT HT DHT AHT HOY HOH HOD TA
    LSA HLTA SBM NQT ECT PGCE SENDCO ELSA CAMHS NHS GP AE ED MASH LADO CSC CSE CCE CSA CEOP IWF NSPCC NCA DBS KCSIE
    DFE DfE OFSTED LA LEA MAT CEO COO CFO PC PCSO MP UK GB USA US EU UN BBC ITV SKY OK ID URL URLS WWW HTTP HTTPS QR AI
    PDF USB SMS MMS DM DMS PM AM IG FB YT GC BF GF BFF TV PS PS4 PS5 VR CCTV VPN IP ISP WIFI PIN SIM GPS APP APPS
    LOL OMG BTW ASAP FYI TBC TBA NB NA ETA RIP IDK IMO TBH WTF FFS KYS STFU GCSE GCSES BTEC UCAS SATS SAT KS KS1 KS2
    KS3 KS4 KS5 EYFS FS1 FS2 PRU AP MIS SIMS CPOMS UPN DOB FAQ ASAP AKA DIY XL PTA PTFA HR IDs RSVP FBI CIA
    I A X AND THE YES NO NOT HE SHE ME MY WE US IN ON AT TO GO DO SO OR OF IS BE BY UP IF AN AS IM ILL ALL HIM HER
    YOU OUT GET NOW WHY WHO HOW WAS ARE BUT HAS HAD HIS ITS OFF OWN SAY SEE TOO TWO ONE RUN OH HEY HI BYE STOP HELP
    """.upper().split())

# A single capital letter after these words is a room, a grade or an option, not a person.
_LETTER_PLACES = frozenset("""room block grade plan year class set form option part building wing floor level bay
    group zone lab gate door stage tier band unit type vitamin""".split())

_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Prof)"
_INITIALS = re.compile(
    # "Mr K", "Mrs B.", "Miss T"
    rf"\b{_HONORIFIC}\.?\s+(?P<hon>[A-Z])\.?(?![\w'’])"
    # "J.B.", "J. B."
    r"|(?<![\w.])(?P<dotted>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)"
    # "JB", "JBK": two or three capitals standing alone
    r"|(?<![\w&/-])(?P<caps>[A-Z]{2,3})(?![\w&/-])"
    # "B said": one capital standing alone
    r"|(?<![\w&/.'’-])(?P<letter>[A-Z])(?![\w&/'’.-])"
)


def _initials(text, quoted_words=frozenset()):
    """Initials in `text` (quotations already blanked out); those the quoted words also use are the child's own
    way of naming someone, which the writer is right to repeat."""
    found = []
    for match in _INITIALS.finditer(text):
        if match.group("hon"):
            found.append(match.group(0).strip().rstrip("."))
            continue
        if match.group("dotted"):
            found.append(match.group(0).strip())
            continue
        token = match.group("caps") or match.group("letter")
        if token.upper() in NOT_INITIALS or token in quoted_words:
            continue
        before = text[:match.start()].split()
        previous = before[-1].lower().strip(",.;:()") if before else ""
        if previous in _LETTER_PLACES:
            continue
        if match.group("caps") and _shouting(text, match.start(), match.end()):
            continue  # a run of capitals is someone's shouting written down, not initials
        found.append(token)
    return found


def _shouting(text, start, end):
    """Whether the capitals at [start, end) stand among other words in capitals ("DONT TELL ANYONE")."""
    around = text[max(0, start - 30):end + 30]
    words = re.findall(r"[A-Za-z]{2,}", around)
    return sum(1 for w in words if w.isupper()) >= 3 and sum(1 for w in words if w.isupper()) * 2 > len(words)


# -- Word lists -----------------------------------------------------------------------------------------------------

def _words(*phrases):
    """One pattern for whole words or phrases; a space in a phrase matches any space or a hyphen."""
    parts = [re.escape(p).replace(r"\ ", r"[\s-]+") for p in phrases]
    return re.compile(r"(?<![\w'’])(?:" + "|".join(parts) + r")(?![\w'’])", re.IGNORECASE)


_OPINION = _words(
    "seemed", "seems", "seem", "appeared to be", "appears to be", "I think", "I thought", "I feel", "I felt that",
    "I believe", "I suspect", "in my opinion", "in my view", "obviously", "clearly", "definitely", "probably",
    "I assume", "I assumed", "must have", "attention seeking", "attention seeker", "overreacting", "over reacting",
    "exaggerating", "making it up", "dramatic", "drama queen", "a liar", "lying", "manipulative", "I'm sure",
    "I am sure", "I get the impression", "my impression", "typical of",
)

_BLAMING = _words(
    "provocative", "provocatively", "asked for it", "asking for it", "brought it on herself",
    "brought it on himself", "brought it on themselves", "her own fault", "his own fault", "their own fault",
    "should have known better", "promiscuous", "flirting", "flirty", "leading him on", "leading her on",
    "willingly sent", "chose to send", "happy to send", "naive enough", "what did she expect", "what did he expect",
    "sexually experienced", "streetwise", "putting herself at risk", "putting himself at risk",
    "putting themselves at risk", "risky behaviour", "consented to",
)

_VAGUE = _words(
    "inappropriate", "inappropriately", "upset", "upsetting", "some stuff", "stuff", "things", "something",
    "etc", "and so on", "and so forth", "rude", "weird", "not nice", "bad things", "dodgy", "a bit off",
    "acting strange", "acting strangely", "odd", "some messages", "some pictures", "some photos", "at some point",
    "a while ago",
)

# -- Times ----------------------------------------------------------------------------------------------------------

_TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}\s?(?:am|pm|a\.m\.|p\.m\.|hrs|h)?\b"
    r"|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)"
    r"|\b\d{3,4}\s?hrs\b"
    r"|(?<![\w'’])(?:noon|midday|midnight|morning|afternoon|evening|tonight|overnight|night|lunchtime|lunch time|"
    r"lunch|break ?time|(?:at|during) break|registration|tutor time|form time|assembly|after school|before school|"
    r"o'clock|o’clock|home ?time|end of the day|start of the day|first thing)(?![\w'’])"
    r"|\b(?:period|lesson|p)\s?[1-9]\b",
    re.IGNORECASE,
)

# Words that show the text tells of something that happened (a record of an event, which needs its time).
_EVENT = _words(
    "said", "told", "tells", "disclosed", "sent", "received", "showed", "shown", "posted", "shared", "messaged",
    "happened", "saw", "seen", "found", "called", "rang", "came", "asked", "threatened", "hit", "pushed",
    "uploaded", "screenshotted", "filmed", "took", "was crying", "cried", "left", "arrived", "met", "noticed",
    "reported", "overheard", "heard", "searched", "visited", "logged", "accessed", "blocked", "flagged", "send",
    "sending", "saying", "talking", "messaging", "posting", "sharing", "showing",
)


def _unique(phrases):
    seen, out = set(), []
    for phrase in phrases:
        key = " ".join(phrase.lower().split())
        if key not in seen:
            seen.add(key)
            out.append(" ".join(phrase.split()))
    return tuple(out)


def check(text, *, time_given=False):
    """The suggestions for `text`, in the order of `KINDS`. `time_given`: the form already has the time it
    happened (its own date-and-time box), so the text need not say it."""
    text = text or ""
    if not text.strip():
        return []
    plain, quoted = _outside_quotes(text)
    quoted_words = frozenset(re.findall(r"[A-Z]{1,3}", "".join(m.group(0) for m in _QUOTED.finditer(text))))
    found = {
        "initials": _initials(plain, quoted_words),
        "opinion": [] if quoted else [m.group(0) for m in _OPINION.finditer(plain)],
        "blaming": [m.group(0) for m in _BLAMING.finditer(plain)],
        "no_time": [] if time_given or _TIME.search(text) or not _EVENT.search(text) else ["no time of day"],
        "vague": [m.group(0) for m in _VAGUE.finditer(plain)],
    }
    return [Suggestion(kind, _unique(found[kind])) for kind in KINDS if found[kind]]


def kinds(text, *, time_given=False):
    """The kinds of suggestion `text` gets, as a set (for counting)."""
    return {s.kind for s in check(text, time_given=time_given)}


def signature(suggestions):
    """A short stable string for what was suggested, so a page announces a change once and not on every save."""
    return ";".join(f"{s.kind}:{','.join(p.lower() for p in s.phrases)}" for s in suggestions)
