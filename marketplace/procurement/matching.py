"""Opportunities for a company: notices that fit its sectors, its listings' words, HS codes and service codes.

Each fit carries its reasons (shown to the member). Open notices come first, soonest deadline first; when
none fits, the closest recent ones are returned marked closed, with their real dates (never made up).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from marketplace.companies.models import Company
from marketplace.core.i18n import N_
from marketplace.listings.models import Listing
from marketplace.procurement.models import ProcurementNotice
from marketplace.procurement.service import not_closed, notice_state
from search.taxonomy.hs import hs_taxonomy
from search.taxonomy.unspsc_classes import unspsc_title

RECENT_CLOSED = 2000  # closed notices looked at when no open one fits: the newest ones
MIN_SCORE = 2
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    [
        "para",
        "por",
        "con",
        "sin",
        "los",
        "las",
        "del",
        "una",
        "uno",
        "unos",
        "unas",
        "que",
        "como",
        "sus",
        "este",
        "esta",
        "estos",
        "estas",
        "entre",
        "sobre",
        "desde",
        "hasta",
        "and",
        "for",
        "the",
        "with",
        "from",
        "into",
        "other",
        "others",
        "otros",
        "otras",
        "demas",
        "their",
        "this",
        "that",
        "your",
        "nuestra",
        "nuestro",
        "para",
        "com",
        "uma",
        "dos",
        "das",
        "pour",
        "avec",
        "sans",
        "des",
        "les",
        "une",
        "aux",
        "produit",
        "producto",
        "productos",
        "product",
        "products",
        "servicio",
        "servicios",
        "service",
        "services",
        "adquisicion",
        "contratacion",
        "compra",
        "venta",
        "tipo",
        "nivel",
        "general",
        "varios",
        "varias",
        "diversos",
    ]
)
# Sectors (marketplace.core.codes.SECTORS) → UNSPSC segments and words buyers use for them.
SECTOR_PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "agrifood": (
        ("50", "10", "11"),
        ("alimentos", "alimenticios", "viveres", "food", "cafe", "frutas", "verduras"),
    ),
    "beverages": (("50",), ("bebidas", "agua", "jugos", "beverages", "cafe")),
    "fisheries": (("50", "10"), ("pescado", "mariscos", "fish", "seafood")),
    "textiles_apparel": (("53", "11"), ("uniformes", "prendas", "textiles", "ropa", "tela", "clothing")),
    "leather_footwear": (("53",), ("calzado", "botas", "zapatos", "cuero", "footwear")),
    "wood_furniture": (("56", "30"), ("muebles", "mobiliario", "madera", "furniture", "escritorios")),
    "handicrafts": (("60", "56"), ("artesanias", "artesanal", "souvenirs")),
    "chemicals_cosmetics": (
        ("12", "47", "53"),
        ("quimicos", "limpieza", "detergentes", "cosmeticos", "reactivos"),
    ),
    "pharma_health": (
        ("42", "51", "41"),
        ("medicamentos", "insumos", "medicos", "reactivos", "hospital", "salud"),
    ),
    "metalworking": (("31", "30", "27"), ("metalicas", "acero", "herreria", "ferreteria", "estructuras")),
    "machinery": (
        ("20", "21", "22", "23", "24", "25", "27"),
        ("maquinaria", "maquinarias", "equipos", "repuestos"),
    ),
    "electronics": (
        ("32", "39", "43", "26"),
        ("electronicos", "electricos", "equipos", "informaticos", "baterias"),
    ),
    "plastics_packaging": (("24", "14"), ("envases", "embalaje", "bolsas", "plasticos", "packaging")),
    "construction": (("30", "72", "95"), ("construccion", "obras", "pavimento", "edificio", "empedrado")),
    "energy": (("26", "15", "83"), ("energia", "electrica", "solar", "combustible", "subestaciones")),
    "software_it": (
        ("43", "81"),
        ("software", "sistemas", "informaticos", "licencias", "programas", "redes"),
    ),
    "bpo": (("80", "84"), ("call", "center", "outsourcing", "digitalizacion")),
    "tourism": (("90",), ("turismo", "hoteles", "hospedaje", "viajes", "eventos")),
    "logistics": (("78",), ("transporte", "logistica", "fletes", "mensajeria", "distribucion")),
    "consulting": (("80", "81", "84"), ("consultoria", "asesoria", "estudios", "capacitacion", "juridico")),
    "creative_industries": (("82", "55"), ("publicidad", "diseno", "impresion", "impresas", "audiovisual")),
    "education": (("86", "60"), ("capacitacion", "educacion", "formacion", "cursos", "escolares")),
}


@dataclass(frozen=True)
class Reason:
    """Why a notice fits, as a message and its values (translated when shown)."""

    message: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Opportunity:
    notice: ProcurementNotice
    state: str
    score: int
    reasons: list[Reason]


@dataclass
class Opportunities:
    open: list[Opportunity]
    recent_closed: list[Opportunity]  # only when no open notice fits


def words(text: str | None) -> set[str]:
    """Lower-case words without accents, of 4 letters or more, minus common words."""
    if not text:
        return set()
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return {w for w in _WORD.findall(plain) if len(w) >= 4 and not w.isdigit() and w not in _STOPWORDS}


@dataclass
class _Profile:
    listing_words: dict[str, str]  # word -> listing title it comes from
    hs_words: dict[str, str]  # word -> HS code it comes from
    sector_words: dict[str, str]  # word -> sector
    segments: dict[str, str]  # UNSPSC segment -> sector
    families: dict[str, str]  # UNSPSC family (4 digits) -> listing title
    countries: set[str]


def company_profile(session: Session, company: Company) -> _Profile:
    listings = (
        session.execute(
            select(Listing).where(Listing.company_id == company.id, Listing.status == "published")
        )
        .scalars()
        .all()
    )
    profile = _Profile({}, {}, {}, {}, {}, {company.country, *company.markets_served})
    hs = hs_taxonomy()
    for listing in listings:
        for word in words(listing.title):
            profile.listing_words.setdefault(word, listing.title)
        if listing.hs_code:
            heading = listing.hs_code[:4]
            for language in ("es", "en"):
                try:
                    title = hs.title(heading, language)
                except KeyError:
                    continue
                for word in words(title):
                    profile.hs_words.setdefault(word, heading)
        if listing.unspsc_code:
            profile.families.setdefault(listing.unspsc_code[:4], listing.title)
    for sector in company.sectors:
        segments, sector_words = SECTOR_PROFILES.get(sector, ((), ()))
        for segment in segments:
            profile.segments.setdefault(segment, sector)
        for word in sector_words:
            profile.sector_words.setdefault(word, sector)
    return profile


def _notice_words(notice: ProcurementNotice) -> set[str]:
    found = words(notice.title) | words(notice.description)
    for item in notice.items[:200]:
        found |= words(item.get("description"))
    return found


def score_notice(notice: ProcurementNotice, profile: _Profile) -> tuple[int, list[Reason]]:
    """How well a notice fits a company's profile, and why; 0 without evidence about what it sells."""
    reasons: list[Reason] = []
    score = 0
    text = _notice_words(notice)
    listing_hits = sorted(w for w in profile.listing_words if w in text)
    if listing_hits:
        score += 2 * min(len(listing_hits), 3)
        word = listing_hits[0]
        reasons.append(
            Reason(
                N_("Mentions “%(word)s”, as your listing “%(listing)s”"),
                {"word": word, "listing": profile.listing_words[word]},
            )
        )
    hs_hits = sorted(w for w in profile.hs_words if w in text and w not in listing_hits)
    if hs_hits:
        score += 2
        reasons.append(
            Reason(
                N_("Mentions “%(word)s”, from your HS code %(code)s"),
                {"word": hs_hits[0], "code": profile.hs_words[hs_hits[0]]},
            )
        )
    codes = [c.split(":", 1)[1] for c in notice.classifications if c.startswith("unspsc:")]
    family = next((c[:4] for c in codes if c[:4] in profile.families), None)
    if family:
        score += 4
        reasons.append(
            Reason(
                N_("Items in the UNSPSC family %(code)s of your listing “%(listing)s”"),
                {"code": family, "listing": profile.families[family]},
            )
        )
    segment = next((c[:2] for c in codes if c[:2] in profile.segments), None)
    if segment:
        score += 2
        title = unspsc_title(segment + "000000")
        reasons.append(
            Reason(
                N_("Items in UNSPSC segment %(segment)s, which fits your sector"),
                {"segment": f"{segment} {title.title('es') if title else ''}".strip()},
            )
        )
    sector_hits = sorted(w for w in profile.sector_words if w in text)
    if sector_hits:
        score += 1
        reasons.append(Reason(N_("Mentions “%(word)s”, common in your sector"), {"word": sector_hits[0]}))
    if score == 0:
        return 0, []
    if notice.country and notice.country in profile.countries:
        score += 1
        reasons.append(Reason(N_("Buyer in a country you serve (%(country)s)"), {"country": notice.country}))
    if notice.sme_suitable:
        score += 1
        reasons.append(Reason(N_("The buyer says it suits small and medium enterprises")))
    return score, reasons


def opportunities_for_company(
    session: Session, company: Company, *, now: datetime, limit: int = 10
) -> Opportunities:
    """Open notices that fit, soonest deadline first; if none, the best recent closed ones (marked closed)."""
    profile = company_profile(session, company)
    open_rows = session.execute(select(ProcurementNotice).where(not_closed(now))).scalars().all()
    fits = []
    for notice in open_rows:
        score, reasons = score_notice(notice, profile)
        if score >= MIN_SCORE:
            fits.append(Opportunity(notice, notice_state(notice, now), score, reasons))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    fits.sort(key=lambda o: (o.notice.tender_end or far, -o.score))
    if fits:
        return Opportunities(open=fits[:limit], recent_closed=[])
    closed_rows = (
        session.execute(
            select(ProcurementNotice)
            .where(~not_closed(now))
            .order_by(ProcurementNotice.release_date.desc())  # type: ignore[union-attr]
            .limit(RECENT_CLOSED)
        )
        .scalars()
        .all()
    )
    closest = []
    for notice in closed_rows:
        score, reasons = score_notice(notice, profile)
        if score >= MIN_SCORE:
            closest.append(Opportunity(notice, notice_state(notice, now), score, reasons))
    epoch = datetime.min.replace(tzinfo=now.tzinfo)
    closest.sort(key=lambda o: (-o.score, -(o.notice.release_date or epoch).timestamp()))
    return Opportunities(open=[], recent_closed=closest[:limit])
