"""Ranked UNSPSC service segments and families for a service typed in es/en/pt/fr.

Services have no HS code. The packaged UNSPSC titles are Spanish (families) or Spanish and English
(segments), so each code is indexed with its titles, its classes' Spanish titles (at a discount: they say
what a family covers, "Programadores de computador") and the hand-written keywords below, in the four
languages. Labels are the official titles: the user's language where one exists, else Spanish.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from search.taxonomy.text_index import Document, Field, TextIndex
from search.taxonomy.unspsc import UnspscTaxonomy, unspsc_taxonomy

_FIRST_SERVICE_SEGMENT = 70  # segments 70–95 are services; 10–60 are goods, classified with HS instead

# What people call these services, by language; only where the official titles would not be found.
KEYWORDS: dict[str, dict[str, str]] = {
    "70000000": {
        "en": "agricultural services farming contractor",
        "pt": "serviços agrícolas agropecuários",
        "fr": "services agricoles",
    },
    "70100000": {
        "en": "fisheries aquaculture fish farming",
        "pt": "pesca aquicultura",
        "fr": "pêche aquaculture",
    },
    "70110000": {
        "en": "horticulture gardening landscaping",
        "pt": "horticultura jardinagem paisagismo",
        "fr": "horticulture jardinage paysagisme",
    },
    "70150000": {"en": "forestry", "pt": "silvicultura florestal", "fr": "sylviculture foresterie"},
    "71000000": {"pt": "serviços de mineração petróleo gás", "fr": "services miniers pétrole gaz"},
    "72000000": {
        "en": "construction building contractor renovation",
        "pt": "construção civil obras reforma empreiteira",
        "fr": "construction bâtiment travaux rénovation",
    },
    "72100000": {
        "en": "building maintenance repair",
        "pt": "manutenção predial reparos",
        "fr": "entretien réparation bâtiments",
    },
    "73000000": {
        "en": "contract manufacturing industrial production maquila",
        "pt": "fabricação sob encomenda produção industrial terceirização industrial",
        "fr": "sous-traitance industrielle fabrication production",
        "es": "maquila maquiladora manufactura por contrato",
    },
    "73130000": {
        "en": "food processing beverage",
        "pt": "processamento de alimentos bebidas",
        "fr": "transformation alimentaire boissons",
    },
    "73140000": {
        "en": "textile garment sewing confection",
        "pt": "confecção costura têxtil",
        "fr": "confection couture textile",
    },
    "76000000": {"en": "cleaning waste", "pt": "limpeza resíduos", "fr": "nettoyage déchets"},
    "76110000": {
        "en": "cleaning janitorial services",
        "pt": "serviços de limpeza",
        "fr": "services de nettoyage",
    },
    "76120000": {
        "en": "waste management recycling disposal",
        "pt": "gestão de resíduos reciclagem",
        "fr": "gestion des déchets recyclage",
    },
    "77000000": {"pt": "serviços ambientais meio ambiente", "fr": "services environnementaux environnement"},
    "78000000": {
        "en": "logistics transport freight shipping",
        "pt": "logística transporte frete",
        "fr": "logistique transport fret",
        "es": "logística flete",
    },
    "78100000": {
        "en": "freight transport cargo shipping courier trucking",
        "pt": "transporte de carga frete courier",
        "fr": "transport de marchandises fret messagerie",
        "es": "flete carga mensajería",
    },
    "78110000": {
        "en": "passenger transport",
        "pt": "transporte de passageiros",
        "fr": "transport de passagers",
    },
    "78120000": {
        "en": "packing packaging handling",
        "pt": "embalagem manuseio",
        "fr": "emballage manutention",
    },
    "78130000": {
        "en": "warehousing storage logistics",
        "pt": "armazenagem armazém logística",
        "fr": "entreposage stockage logistique",
        "es": "bodegaje almacén logística",
    },
    "78140000": {
        "en": "customs broker freight forwarding",
        "pt": "despachante aduaneiro agente de carga",
        "fr": "transitaire commissionnaire en douane",
        "es": "agente de aduanas agenciamiento",
    },
    "80000000": {
        "en": "business services management professional services",
        "pt": "serviços empresariais gestão",
        "fr": "services aux entreprises gestion",
    },
    "80100000": {
        "en": "management consulting consultancy advisory",
        "pt": "consultoria de gestão assessoria empresarial",
        "fr": "conseil en gestion consultant",
        "es": "consultoría asesoría",
    },
    "80110000": {
        "en": "human resources recruitment staffing",
        "pt": "recursos humanos recrutamento",
        "fr": "ressources humaines recrutement",
    },
    "80120000": {
        "en": "legal services lawyer law firm",
        "pt": "serviços jurídicos advocacia advogado",
        "fr": "services juridiques avocat",
        "es": "abogados jurídicos",
    },
    "80130000": {"en": "real estate", "pt": "imobiliário imobiliária", "fr": "immobilier"},
    "80140000": {
        "en": "marketing sales distribution market research trade fairs",
        "pt": "marketing vendas distribuição pesquisa de mercado feiras",
        "fr": "marketing ventes distribution études de marché salons",
        "es": "mercadeo ventas",
    },
    "80160000": {
        "en": "business process outsourcing bpo call center back office administrative support",
        "pt": "terceirização de processos bpo call center central de atendimento telemarketing",
        "fr": "externalisation bpo centre d'appels support administratif",
        "es": "tercerización outsourcing bpo centro de llamadas call center",
    },
    "81000000": {"pt": "engenharia pesquisa tecnologia", "fr": "ingénierie recherche technologie"},
    "81100000": {"en": "engineering services", "pt": "serviços de engenharia", "fr": "services d'ingénierie"},
    "81110000": {
        "en": "software development programming it services web development apps cloud",
        "pt": "desenvolvimento de software programação serviços de ti aplicativos",
        "fr": "développement de logiciels programmation services informatiques applications",
        "es": "desarrollo de software programación aplicaciones informática",
    },
    "81160000": {
        "en": "it services hosting",
        "pt": "serviços de ti hospedagem",
        "fr": "services informatiques hébergement",
    },
    "82000000": {"pt": "design editorial artes gráficas", "fr": "design édition arts graphiques"},
    "82100000": {"en": "advertising", "pt": "publicidade propaganda", "fr": "publicité"},
    "82110000": {
        "en": "translation interpreting writing",
        "pt": "tradução interpretação redação",
        "fr": "traduction interprétation rédaction",
        "es": "traducción interpretación redacción",
    },
    "82130000": {"en": "photography", "pt": "fotografia", "fr": "photographie"},
    "82140000": {"en": "graphic design", "pt": "design gráfico", "fr": "design graphique"},
    "83110000": {"en": "telecommunications", "pt": "telecomunicações", "fr": "télécommunications"},
    "84000000": {"pt": "serviços financeiros seguros", "fr": "services financiers assurances"},
    "84110000": {
        "en": "accounting audit bookkeeping",
        "pt": "contabilidade auditoria",
        "fr": "comptabilité audit expert-comptable",
    },
    "84130000": {"en": "insurance", "pt": "seguros", "fr": "assurance"},
    "85000000": {"pt": "serviços de saúde", "fr": "services de santé"},
    "86000000": {
        "en": "education training courses",
        "pt": "educação treinamento cursos capacitação",
        "fr": "éducation formation cours",
        "es": "capacitación cursos",
    },
    "90000000": {
        "en": "tourism travel hospitality hotels restaurants",
        "pt": "turismo viagens hotelaria",
        "fr": "tourisme voyages hôtellerie",
        "es": "turismo hotelería",
    },
    "90100000": {"en": "restaurant catering", "pt": "restaurante bufê", "fr": "restauration traiteur"},
    "90110000": {
        "en": "hotel lodging accommodation",
        "pt": "hotel hospedagem pousada",
        "fr": "hôtel hébergement",
        "es": "hotel hospedaje",
    },
    "90120000": {
        "en": "travel agency tour operator tourism tours",
        "pt": "agência de viagens turismo passeios",
        "fr": "agence de voyages tourisme circuits",
        "es": "agencia de viajes turismo tours",
    },
    "90150000": {
        "en": "entertainment events",
        "pt": "entretenimento eventos",
        "fr": "divertissement événements",
    },
    "91000000": {"pt": "serviços pessoais domésticos", "fr": "services personnels domestiques"},
    "92000000": {"en": "security guards", "pt": "segurança vigilância", "fr": "sécurité gardiennage"},
}


@dataclass(frozen=True)
class UnspscSuggestion:
    code: str
    level: str  # segment | family
    label: str  # official title in the requested language, else Spanish
    score: float
    matched_language: str | None


@dataclass(frozen=True)
class _UnspscIndex:
    table: UnspscTaxonomy
    text: TextIndex


def _service_codes() -> tuple[dict[str, dict], dict[str, list[str]]]:
    """Service segments and families with their titles, and the Spanish class titles of each family."""
    codes: dict[str, dict] = {}
    classes: dict[str, list[str]] = {}
    path = resources.files("search.taxonomy").joinpath("data/unspsc_segment_family_class.csv")
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if int(row["code"][:2]) < _FIRST_SERVICE_SEGMENT:
                continue
            if row["level"] == "class":
                classes.setdefault(row["parent"], []).append(row["title"])
            else:
                entry = codes.setdefault(
                    row["code"], {"level": row["level"], "parent": row["parent"], "titles": {}}
                )
                entry["titles"][row["lang"]] = row["title"]
    return codes, classes


@lru_cache(maxsize=1)
def unspsc_index() -> _UnspscIndex:
    """The search index over UNSPSC service segments and families, built once."""
    codes, classes = _service_codes()
    documents = []
    for code, entry in sorted(codes.items()):
        fields = [Field(lang, title) for lang, title in entry["titles"].items()]
        fields += [Field(lang, words) for lang, words in KEYWORDS.get(code, {}).items()]
        fields += [Field("es", title, weight=0.5) for title in classes.get(code, [])]
        documents.append(Document(key=code, fields=tuple(fields), parent=entry["parent"] or None))
    return _UnspscIndex(table=unspsc_taxonomy(), text=TextIndex(documents, inherit=0.5))


def suggest_unspsc(query: str, language: str, *, limit: int = 10) -> list[UnspscSuggestion]:
    """UNSPSC service segments and families for a service named in es/en/pt/fr, best first."""
    query = query.strip()
    if not query or limit <= 0:
        return []
    index = unspsc_index()
    matches = index.text.search(query, limit=limit, language=language)
    return [
        UnspscSuggestion(
            code=m.key,
            level=index.table.get(m.key).level,  # type: ignore[union-attr]
            label=index.table.title(m.key, language),
            score=m.score,
            matched_language=m.field,
        )
        for m in matches
    ]
