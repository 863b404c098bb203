"""The words a period after which ends no sentence, per language, as data (:mod:`tools.segment` applies them).

Abbreviations are lower case, without the final period ("z.b" is also z. B.);
English's serve a language that lists none of its own. The registry
(``tools/languages/__init__.py``) names each language's.
"""

from __future__ import annotations

ENGLISH = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "pres",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "cf",
        "al",
        "approx",
        "no",
        "nos",
        "vol",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "inc",
        "ltd",
        "co",
        "corp",
    ]
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Per language (the registry names each entry's): abbreviations (lower case, without the final period;
# "z.b" is also z. B.) and the month names an ordinal day (15.) may stand before. Only capitalised month names
# need listing: a period before a lower-case word never ends a sentence here anyway (15. sierpnia, 15. srpna).
GERMAN = _words(
    "abs bd bzw ca d.h dr evtl ggf hr inkl jh jhd mio mrd nr prof s.o s.u sog st str u.a u.ä usw vgl z.b z.t"
)
POLISH = _words("dr gen godz im inż itd itp jw ks m.in mgr mjr mld mln np nr ok pkt płk prof r św tj tys tzw ul wg")
FRENCH = _words("av cf dr env etc mgr mlle mme mm pr p.ex st ste")
SPANISH = _words("aprox art avda cía dr dra ee.uu etc núm pág p.ej pp sr sra sres srta ud uds vol")
CATALAN = _words("aprox art av avda dr dra ee.uu etc núm pàg p.ex pp sr sra sres srta")
RUSSIAN = _words("г гг др им млн млрд проф см ст т.д т.е т.к т.п тыс ул")
UKRAINIAN = _words("вул див ім млн млрд проф р рр ст т.б т.д т.п тис")
GERMAN_MONTHS = _words(
    "januar jänner februar märz april mai juni juli august september oktober november dezember"
    " jan feb mär apr jun jul aug sep sept okt nov dez"
)
# German writes an ordinal as a number with a period (der 2. Weltkrieg); after an article or a preposition
# with an article, such a number cannot end a sentence. Only for text known to be German: English source
# text is split without it ("I am 21. Then").
GERMAN_ORDINAL_AFTER = _words(
    "der die das dem den des ein eine einem einen einer eines im am zum zur vom beim ins ans seit bis ab jede jeder"
    " jedes jeden jedem diese dieser dieses diesem diesen"
)

# Abbreviated English titles before a name that Apertium does not know, written out for the engine into an "of"
# language (:mod:`tools.ofform`): it took "Prof." for a sentence's end ("Prof. Baker Y Señora Cook", "Prof. El
# panadero"); written out, each comes back as the language's title (Profesor, Coronel, Capità). Not "Rep." or "Lt.":
# written out, Apertium made them "Representativo" and "Lugarteniente"; not "Gen.": "General" before a capitalised
# word is as often an adjective (General Assembly), and the name after it would not be locked.
ENGLISH_TITLES_WRITTEN_OUT = {
    "Prof": "Professor",
    "Sen": "Senator",
    "Gov": "Governor",
    "Col": "Colonel",
    "Sgt": "Sergeant",
    "Capt": "Captain",
    "Rev": "Reverend",
}
# English titles a person's name follows (Dr. Smith, Mrs Cook, Sir Keir Starmer): the name after one is locked
# before an engine sees the sentence (:mod:`tools.names`), since Apertium reads "Smith", "Baker" or "Cook" as the
# trades. With or without the period; as written, capitalised; and as written out for the engine (above).
ENGLISH_TITLES = _words("Mr Mrs Ms Mx Dr Prof Sen Rep Gov Gen Col Lt Sgt Capt Rev Sir Dame Lord Lady") | frozenset(
    ENGLISH_TITLES_WRITTEN_OUT.values()
)
# Capitalised words after a title that are another title or an office, not a name (Mr. President, Madam Speaker).
ENGLISH_OFFICES = _words(
    "President Vice Speaker Chairman Chairwoman Chair Secretary Minister Ambassador Justice Mayor General"
)
