"""What an edition says around the article, in its own language: labels, dates, provenance, notices, as data.

One set of words per language for every page and book the toolkit writes;
the language registry (:mod:`tools.languages`) names each language's, and
:mod:`tools.ui` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """The words of one language; ``provenance`` and ``minutes`` are format strings."""

    language: str  # the language's name in itself
    site: str
    articles: str
    minutes: str  # reading time: {n}
    glossary: str
    see_also: str
    in_articles: str
    sources: str
    untranslated: str
    downloads: str
    original: str
    provenance: str  # {engine} {model} {reviewed}
    page: str  # abbreviation before a page number
    months: str
    date: str  # {day} {month} {year}, and {of} for Catalan's de/d’
    machine_translated: str  # a glossary entry whose texts a machine translated
    byline: str  # {name}
    unreviewed: str  # provenance in plain words: no sentence reviewed yet
    partly_reviewed: str  # {reviewed}: the share of sentences a person reviewed, in percent
    reviewed: str  # every sentence reviewed
    read_original: str  # the link from a translation to its original
    original_of: str  # {language} {title}: the original, named in a book
    also_in: str  # before the other languages of an article
    collected: str  # the collected book of all articles
    about: str  # the heading of an article's note on how its translation was made
    about_text: str  # {site}
    not_found: str
    not_found_text: str
    front_page: str  # the front page's navigation label
    feed: str  # the Atom feed's link label
    book_summary: str  # the e-books' accessibility summary
    cover_alt: str  # {title} {date}: the cover image's text alternative
    newer_articles: str  # the front pages' link to newer articles
    older_articles: str  # the front pages' link to older articles
    archive: str  # the archive of articles by month
    page_number: str  # {n}: a front page after the first
    every_article: str  # {n}: a glossary entry's link to its term's page of every article it is in
    contents: str  # a book's table of contents (its heading, and its landmark)
    cover: str  # a book's cover (its landmark)
    title_page: str  # a book's title page (its landmark)
    permalink: str  # the title of a heading's ¶ link (Python-Markdown's toc writes it in English)


# One entry per language; the registry (tools/languages/__init__.py) names each language's.
ENGLISH = Words(
    "English", "Press editions", "Articles", "{n} min read", "Glossary", "See also", "In the articles",
    "Sources", "Shown in English until translated.", "Downloads", "Original",
    "Machine translation by {engine} ({model}); {reviewed} % of its sentences reviewed by a person.", "p.",
    "January February March April May June July August September October November December",
    "{day} {month} {year}", "Machine translation from English.",
    "By {name}", "Machine translation, not yet reviewed", "Machine translation, {reviewed} % reviewed by a person",
    "Machine translation, reviewed by a person", "read the original", "Original ({language}): {title}",
    "Also in", "All articles", "About this translation",
    "{site} publishes every article in the language it was written in, and in translation. Each translation says how it was made; a machine translation says so until a person has reviewed it.", "Page not found",
    "Nothing is published at this address. Start again from the front page, or search.", "Front page", "Feed",
    "Text with headings, a table of contents and a glossary linked both ways.", "Cover: {title}, {date}.",
    "Newer articles", "Older articles", "Archive", "Page {n}", "All {n} articles",
    "Contents", "Cover", "Title page",
    "Permanent link",
)  # fmt: skip

UKRAINIAN = Words(
    "Українська", "Видання Press", "Статті", "{n} хв читання", "Глосарій", "Див. також", "У статтях",
    "Джерела", "Показано англійською, доки не перекладено.", "Завантаження", "Оригінал",
    "Машинний переклад: {engine} ({model}); людина переглянула {reviewed} % речень.", "с.",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "{day} {month} {year} року", "Машинний переклад з англійської.",
    "Автор: {name}", "Машинний переклад, ще не перевірений", "Машинний переклад, людина перевірила {reviewed} %",
    "Машинний переклад, перевірений людиною", "читати оригінал", "Оригінал ({language}): {title}",
    "Іншими мовами", "Усі статті", "Про цей переклад",
    "{site} публікує кожну статтю мовою оригіналу та в перекладах. Кожен переклад каже, як його зроблено; машинний переклад позначено, доки його не перевірить людина.", "Сторінку не знайдено",
    "За цією адресою нічого не опубліковано. Почніть із головної сторінки або скористайтеся пошуком.", "Головна", "Стрічка",
    "Текст із заголовками, змістом і глосарієм із посиланнями в обидва боки.", "Обкладинка: {title}, {date}.",
    "Новіші статті", "Попередні статті", "Архів", "Сторінка {n}", "Усі статті ({n})",
    "Зміст", "Обкладинка", "Титульна сторінка",
    "Постійне посилання",
)  # fmt: skip

RUSSIAN = Words(
    "Русский", "Издания Press", "Статьи", "{n} мин чтения", "Глоссарий", "См. также", "В статьях",
    "Источники", "Показано на английском, пока не переведено.", "Загрузки", "Оригинал",
    "Машинный перевод: {engine} ({model}); человек проверил {reviewed} % предложений.", "с.",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "{day} {month} {year} года", "Машинный перевод с английского.",
    "Автор: {name}", "Машинный перевод, ещё не проверен", "Машинный перевод, человек проверил {reviewed} %",
    "Машинный перевод, проверен человеком", "читать оригинал", "Оригинал ({language}): {title}",
    "На других языках", "Все статьи", "Об этом переводе",
    "{site} публикует каждую статью на языке оригинала и в переводах. Каждый перевод сообщает, как он сделан; машинный перевод отмечен, пока его не проверит человек.", "Страница не найдена",
    "По этому адресу ничего не опубликовано. Начните с главной страницы или воспользуйтесь поиском.", "Главная", "Лента",
    "Текст с заголовками, оглавлением и глоссарием со ссылками в обе стороны.", "Обложка: {title}, {date}.",
    "Более новые статьи", "Предыдущие статьи", "Архив", "Страница {n}", "Все статьи ({n})",
    "Содержание", "Обложка", "Титульный лист",
    "Постоянная ссылка",
)  # fmt: skip

GERMAN = Words(
    "Deutsch", "Press-Ausgaben", "Artikel", "{n} Min. Lesezeit", "Glossar", "Siehe auch", "In den Artikeln",
    "Quellen", "Bis zur Übersetzung auf Englisch.", "Downloads", "Original",
    "Maschinelle Übersetzung mit {engine} ({model}); {reviewed} % der Sätze von Menschen geprüft.", "S.",
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "{day}. {month} {year}", "Maschinelle Übersetzung aus dem Englischen.",
    "Von {name}", "Maschinelle Übersetzung, noch nicht geprüft", "Maschinelle Übersetzung, zu {reviewed} % von Menschen geprüft",
    "Maschinelle Übersetzung, von Menschen geprüft", "zum Original", "Original ({language}): {title}",
    "Auch auf", "Alle Artikel", "Über diese Übersetzung",
    "{site} veröffentlicht jeden Artikel in der Sprache, in der er geschrieben wurde, und in Übersetzungen. Jede Übersetzung sagt, wie sie entstand; eine maschinelle Übersetzung ist gekennzeichnet, bis ein Mensch sie geprüft hat.", "Seite nicht gefunden",
    "Unter dieser Adresse ist nichts veröffentlicht. Beginnen Sie auf der Startseite oder nutzen Sie die Suche.", "Startseite", "Feed",
    "Text mit Überschriften, Inhaltsverzeichnis und einem in beide Richtungen verlinkten Glossar.", "Umschlag: {title}, {date}.",
    "Neuere Artikel", "Ältere Artikel", "Archiv", "Seite {n}", "Alle {n} Artikel",
    "Inhalt", "Umschlag", "Titelseite",
    "Permanenter Link",
)  # fmt: skip

FRENCH = Words(
    "Français", "Éditions Press", "Articles", "{n} min de lecture", "Glossaire", "Voir aussi",
    "Dans les articles", "Sources", "En anglais en attendant la traduction.", "Téléchargements", "Original",
    "Traduction automatique par {engine} ({model}) ; {reviewed} % des phrases relues.", "p.",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "{day} {month} {year}", "Traduction automatique de l’anglais.",
    "Par {name}", "Traduction automatique, pas encore relue", "Traduction automatique, relue à {reviewed} % par une personne",
    "Traduction automatique, relue par une personne", "lire l’original", "Original ({language}) : {title}",
    "Aussi en", "Tous les articles", "À propos de cette traduction",
    "{site} publie chaque article dans la langue où il a été écrit, et en traduction. Chaque traduction dit comment elle a été faite ; une traduction automatique l’indique tant qu’une personne ne l’a pas relue.", "Page introuvable",
    "Rien n’est publié à cette adresse. Repartez de la une, ou lancez une recherche.", "À la une", "Flux",
    "Texte avec titres, table des matières et glossaire lié dans les deux sens.", "Couverture : {title}, {date}.",
    "Articles plus récents", "Articles plus anciens", "Archives", "Page {n}", "Les {n} articles",
    "Table des matières", "Couverture", "Page de titre",
    "Lien permanent",
)  # fmt: skip

SPANISH = Words(
    "Español", "Ediciones Press", "Artículos", "{n} min de lectura", "Glosario", "Véase también",
    "En los artículos", "Fuentes", "En inglés hasta que se traduzca.", "Descargas", "Original",
    "Traducción automática de {engine} ({model}); {reviewed} % de las frases revisadas por una persona.", "p.",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "{day} de {month} de {year}", "Traducción automática del inglés.",
    "Por {name}", "Traducción automática, aún sin revisar", "Traducción automática, revisada en un {reviewed} % por una persona",
    "Traducción automática, revisada por una persona", "lea el original", "Original ({language}): {title}",
    "También en", "Todos los artículos", "Sobre esta traducción",
    "{site} publica cada artículo en la lengua en que se escribió y en traducciones. Cada traducción dice cómo se hizo; una traducción automática lo indica hasta que una persona la revisa.", "Página no encontrada",
    "No hay nada publicado en esta dirección. Vuelva a la portada o use la búsqueda.", "Portada", "Canal",
    "Texto con encabezados, índice y un glosario enlazado en ambos sentidos.", "Cubierta: {title}, {date}.",
    "Artículos más recientes", "Artículos anteriores", "Archivo", "Página {n}", "Los {n} artículos",
    "Índice", "Cubierta", "Portada",
    "Enlace permanente",
)  # fmt: skip

POLISH = Words(
    "Polski", "Wydania Press", "Artykuły", "{n} min czytania", "Słowniczek", "Zobacz też", "W artykułach",
    "Źródła", "Po angielsku do czasu przekładu.", "Do pobrania", "Oryginał",
    "Tłumaczenie maszynowe: {engine} ({model}); {reviewed} % zdań sprawdzonych przez człowieka.", "s.",
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "{day} {month} {year}", "Tłumaczenie maszynowe z angielskiego.",
    "Autor: {name}", "Tłumaczenie maszynowe, jeszcze niesprawdzone", "Tłumaczenie maszynowe, w {reviewed} % sprawdzone przez człowieka",
    "Tłumaczenie maszynowe, sprawdzone przez człowieka", "przeczytaj oryginał", "Oryginał ({language}): {title}",
    "W innych językach", "Wszystkie artykuły", "O tym tłumaczeniu",
    "{site} publikuje każdy artykuł w języku, w którym go napisano, i w tłumaczeniach. Każde tłumaczenie mówi, jak powstało; tłumaczenie maszynowe jest tak oznaczone, dopóki nie sprawdzi go człowiek.", "Nie znaleziono strony",
    "Pod tym adresem nic nie opublikowano. Zacznij od strony głównej albo skorzystaj z wyszukiwania.", "Strona główna", "Kanał",
    "Tekst z nagłówkami, spisem treści i słowniczkiem z odsyłaczami w obie strony.", "Okładka: {title}, {date}.",
    "Nowsze artykuły", "Starsze artykuły", "Archiwum", "Strona {n}", "Wszystkie artykuły ({n})",
    "Spis treści", "Okładka", "Strona tytułowa",
    "Link bezpośredni",
)  # fmt: skip

CATALAN = Words(
    "Català", "Edicions Press", "Articles", "{n} min de lectura", "Glossari", "Vegeu també", "Als articles",
    "Fonts", "En anglès fins que es tradueixi.", "Baixades", "Original",
    "Traducció automàtica de {engine} ({model}); {reviewed} % de les frases revisades.", "p.",
    "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
    "{day} {of}{month} de {year}", "Traducció automàtica de l’anglès.",
    "Per {name}", "Traducció automàtica, encara no revisada", "Traducció automàtica, revisada en un {reviewed} % per una persona",
    "Traducció automàtica, revisada per una persona", "llegiu l’original", "Original ({language}): {title}",
    "També en", "Tots els articles", "Sobre aquesta traducció",
    "{site} publica cada article en la llengua en què es va escriure i en traduccions. Cada traducció diu com s’ha fet; una traducció automàtica ho indica fins que una persona la revisa.", "No s’ha trobat la pàgina",
    "No hi ha res publicat en aquesta adreça. Torneu a la portada o feu una cerca.", "Portada", "Canal",
    "Text amb encapçalaments, índex i un glossari enllaçat en tots dos sentits.", "Coberta: {title}, {date}.",
    "Articles més recents", "Articles anteriors", "Arxiu", "Pàgina {n}", "Els {n} articles",
    "Índex", "Coberta", "Portada",
    "Enllaç permanent",
)  # fmt: skip
