"""Identity documents of many countries and layouts, planned (labels) first and drawn flat second.

plan_document() decides everything a label needs (template, holder, dates, MRZ lines, printed expiry) from
a random generator; draw_document() renders that plan as a flat card at any pixel width. Coordinates in the
drawers are in card units: the card is 1000 units wide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

from . import assets, mrz, people


@dataclass(frozen=True)
class Template:
    """A document design: layout drawer, size, colours, words and the forms its dates take."""

    name: str
    layout: str
    ratio: float  # width / height
    country: str  # ICAO code as printed in the MRZ (3 characters, '<' padded)
    titles: tuple[str, ...]
    date_form: str
    mrz_format: str | None  # TD1, TD2, TD3, MRV-A, MRV-B or None
    doc_type: str = "P"
    script: str = "latin"  # latin, zh, zh-hant
    bg: tuple[int, int, int] = (236, 232, 222)
    accent: tuple[int, int, int] = (120, 30, 40)
    validity_years: int = 10
    has_back: bool = False  # the MRZ is on the back (the front has the portrait and the printed dates)


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("passport_gbr", "passport", 1.42, "GBR", ("UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND",
             "PASSPORT"), "dmy_mon", "TD3", bg=(232, 226, 236), accent=(110, 20, 60)),
    Template("passport_deu", "passport", 1.42, "D<<", ("BUNDESREPUBLIK DEUTSCHLAND  FEDERAL REPUBLIC OF GERMANY",
             "REISEPASS / PASSPORT / PASSEPORT"), "dmy_dot", "TD3", bg=(228, 234, 226), accent=(40, 40, 40)),
    Template("passport_chn", "passport", 1.42, "CHN", ("中华人民共和国  PEOPLE'S REPUBLIC OF CHINA", "护照 PASSPORT"),
             "dmy_zh_mon", "TD3", script="zh", bg=(230, 236, 240), accent=(150, 30, 30)),
    Template("passport_chn2", "passport", 1.42, "CHN", ("中华人民共和国", "护照  PASSPORT"), "dmy_mon_zh", "TD3",
             script="zh", bg=(240, 236, 226), accent=(40, 60, 120)),
    Template("passport_fra", "passport", 1.42, "FRA", ("RÉPUBLIQUE FRANÇAISE", "PASSEPORT / PASSPORT"),
             "dmy_space", "TD3", bg=(238, 230, 236), accent=(30, 40, 110)),
    Template("passport_usa", "passport_us", 1.42, "USA", ("UNITED STATES OF AMERICA", "PASSPORT"), "dmy_mon", "TD3",
             bg=(226, 232, 240), accent=(20, 40, 90)),
    Template("id_deu", "card", 1.585, "D<<", ("BUNDESREPUBLIK DEUTSCHLAND", "PERSONALAUSWEIS / IDENTITY CARD / "
             "CARTE D'IDENTITÉ"), "dmy_dot", "TD1", doc_type="ID", bg=(224, 232, 228), accent=(30, 30, 30),
             has_back=True),
    Template("id_esp", "card", 1.585, "ESP", ("ESPAÑA", "DOCUMENTO NACIONAL DE IDENTIDAD"), "dmy_space", "TD1",
             doc_type="ID", bg=(236, 226, 214), accent=(120, 40, 20), has_back=True),
    Template("id_fra", "card", 1.585, "FRA", ("RÉPUBLIQUE FRANÇAISE", "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD"),
             "dmy_slash", "TD1", doc_type="ID", bg=(232, 230, 240), accent=(30, 50, 120), has_back=True),
    Template("rp_gbr", "card", 1.585, "GBR", ("UNITED KINGDOM", "RESIDENCE PERMIT"), "dmy_dash", "TD1",
             doc_type="IR", bg=(226, 236, 236), accent=(20, 80, 90), validity_years=5, has_back=True),
    Template("rp_fra", "card_td2", 1.42, "FRA", ("RÉPUBLIQUE FRANÇAISE", "TITRE DE SÉJOUR / RESIDENCE PERMIT"),
             "dmy_slash", "TD2", doc_type="IR", bg=(236, 236, 224), accent=(40, 60, 110), validity_years=5),
    Template("id_rou", "card_td2", 1.42, "ROU", ("ROMANIA  ROUMANIE", "CARTE DE IDENTITATE / IDENTITY CARD"),
             "dmy_dot", "TD2", doc_type="ID", bg=(230, 236, 244), accent=(20, 50, 110), validity_years=10),
    Template("visa_schengen", "visa", 1.42, "FRA", ("VISA", "ETATS SCHENGEN / SCHENGEN STATES"), "dmy_dash",
             "MRV-A", doc_type="V", bg=(236, 228, 236), accent=(70, 40, 100), validity_years=1),
    Template("visa_can", "visa", 1.42, "CAN", ("VISA", "CANADA  TEMPORARY RESIDENT VISA"), "iso", "MRV-B",
             doc_type="V", bg=(234, 236, 226), accent=(130, 20, 20), validity_years=2),
    Template("dl_eu", "dl_eu", 1.585, "NLD", ("RIJBEWIJS", "DRIVING LICENCE / PERMIS DE CONDUIRE"), "dmy_dot", None,
             doc_type="DL", bg=(240, 222, 226), accent=(40, 40, 110)),
    Template("dl_usa", "dl_us", 1.585, "USA", ("CALIFORNIA USA", "DRIVER LICENSE"), "mdy_slash", None,
             doc_type="DL", bg=(222, 230, 240), accent=(20, 50, 110), validity_years=5),
    Template("cn_id_front", "cn_front", 1.585, "CHN", ("姓名",), "none", None, doc_type="ID", script="zh",
             bg=(236, 238, 232), accent=(20, 20, 20)),
    Template("cn_id_back", "cn_back", 1.585, "CHN", ("中华人民共和国", "居民身份证"), "cn_range_dot", None,
             doc_type="ID", script="zh", bg=(232, 236, 236), accent=(160, 30, 30)),
    Template("cn_dl", "cn_dl", 1.46, "CHN", ("中华人民共和国机动车驾驶证", "Driving License of the People's Republic "
             "of China"), "cn_range_zhi", None, doc_type="DL", script="zh", bg=(236, 240, 236), accent=(20, 30, 90),
             validity_years=6),
    Template("hk_id", "hk_id", 1.585, "HKG", ("香港永久性居民身份證", "HONG KONG PERMANENT IDENTITY CARD"), "none",
             None, doc_type="ID", script="zh-hant", bg=(230, 226, 238), accent=(60, 30, 90)),
)}


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years) + timedelta(days=1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28) + timedelta(days=1)


def plan_document(rng: np.random.Generator, template: str, reference: date, expired: bool) -> dict:
    """Everything the document will show and every label it implies (no pixels yet)."""
    t = TEMPLATES[template]
    person = people.chinese_person(rng) if t.script.startswith("zh") else people.latin_person(rng)
    if t.script == "zh-hant":
        person["name_zh"] = person["name_zh"].translate(people.ZH_HANT)
    long_term = t.date_form == "cn_range_dot" and not expired and rng.random() < 0.35
    if t.date_form == "none" or long_term:
        expiry = None  # nothing printed, or 长期: valid without end
    elif expired:
        expiry = reference - timedelta(days=int(rng.integers(1, 1500)))
    else:
        expiry = reference + timedelta(days=int(rng.integers(20, 365 * t.validity_years - 200)))
    if expiry:
        start = _years_before(expiry, t.validity_years)
    else:
        start = reference - timedelta(days=int(rng.integers(400, 5000)))
    side = "front"
    if t.has_back:
        side = "back" if rng.random() < 0.4 else "front"
    number = {
        "passport": "A99999999", "card": "A9AAA9999", "card_td2": "AA9999999", "visa": "999999999",
        "passport_us": "999999999",
    }.get(t.layout, "A9999999")
    plan: dict = {
        "template": t.name, "layout": t.layout, "country": t.country.replace("<", ""), "side": side,
        "script": t.script, "surname": person["surname"], "given": person["given"], "sex": person["sex"],
        "birth": person["birth"].isoformat(), "issued": start.isoformat(),
        "number": people.doc_number(rng, number),
        "expiry": expiry.isoformat() if expiry else None, "long_term": long_term,
        "reference_date": reference.isoformat(),
        "expired": bool(expiry and expiry < reference),
        "portrait": str(rng.choice(["astronaut", "grace_hopper"])),
        "portrait_grey": bool(rng.random() < 0.5), "portrait_flip": bool(rng.random() < 0.5),
    }
    for key in ("name_zh", "ethnic", "address", "issuer_zh"):
        if key in person:
            plan[key] = person[key]
    if t.layout in ("cn_front",):
        plan["number"] = people.cn_id_number(rng, person["birth"], person["sex"])
    if t.layout == "cn_dl":
        plan["number"] = people.cn_id_number(rng, person["birth"], person["sex"])
    if t.layout == "hk_id":
        plan["number"] = people.doc_number(rng, "A999999") + f"({int(rng.integers(10))})"
    plan["expiry_text"] = _expiry_text(t, start, expiry, long_term)
    plan["mrz"] = _mrz_lines(t, plan, person, expiry) if _shows_mrz(t, side) else None
    plan["mrz_format"] = t.mrz_format if plan["mrz"] else None
    plan["printed_expiry"] = bool(plan["expiry_text"]) and (side == "front" or not t.has_back)
    if not plan["printed_expiry"] and not plan["mrz"]:
        plan["expiry"] = None
        plan["expired"] = False
    return plan


def _shows_mrz(t: Template, side: str) -> bool:
    if t.mrz_format is None:
        return False
    return side == "back" if t.has_back else True


def _expiry_text(t: Template, start: date, expiry: date | None, long_term: bool) -> str:
    if t.date_form == "none":
        return ""
    if t.date_form == "cn_range_dot":
        return f"{start:%Y.%m.%d}-长期" if long_term else f"{start:%Y.%m.%d}-{expiry:%Y.%m.%d}"
    if t.date_form == "cn_range_zhi":
        return f"{start:%Y-%m-%d} 至 {expiry:%Y-%m-%d}"
    return people.format_date(expiry, t.date_form)


def _mrz_lines(t: Template, plan: dict, person: dict, expiry: date) -> list[str]:
    common = {"issuer": t.country, "surname": person["surname"], "given": person["given"],
              "number": plan["number"].replace("(", "").replace(")", ""), "nationality": t.country,
              "birth": person["birth"], "sex": person["sex"], "expiry": expiry}
    if t.mrz_format == "TD3":
        return mrz.td3(doc_type=t.doc_type, personal="", **common)
    if t.mrz_format == "TD2":
        return mrz.td2(doc_type=t.doc_type, **common)
    if t.mrz_format == "TD1":
        return mrz.td1(doc_type=t.doc_type, **common)
    return mrz.visa(fmt=t.mrz_format, **common)


# ---------------------------------------------------------------- drawing

class _Card:
    """A card canvas addressed in units (1000 across)."""

    def __init__(self, template: Template, width: int, rng: np.random.Generator) -> None:
        self.t = template
        self.s = width / 1000.0
        self.w, self.h = width, int(round(width / template.ratio))
        self.uh = 1000.0 / template.ratio  # height in units
        self.img = Image.new("RGB", (self.w, self.h), template.bg)
        self.draw = ImageDraw.Draw(self.img)
        self.rng = rng
        self.regions: dict[str, tuple[int, int, int, int]] = {}

    def px(self, v: float) -> int:
        return int(round(v * self.s))

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return (self.px(x0), self.px(y0), self.px(x1), self.px(y1))

    def text(self, x: float, y: float, text: str, size: float, *, font: str = "sans", fill=None,  # noqa: ANN001
             anchor: str = "la", max_w: float | None = None) -> float:
        """Draw text; shrink to max_w units if given. Returns the right edge in units."""
        f = assets.font(font, self.px(size))
        if max_w is not None:
            width = self.draw.textlength(text, font=f)
            if width > self.px(max_w):
                f = assets.font(font, max(6, int(self.px(size) * self.px(max_w) / width)))
        self.draw.text((self.px(x), self.px(y)), text, font=f, fill=fill or (20, 20, 25), anchor=anchor)
        return x + self.draw.textlength(text, font=f) / self.s

    def field(self, x: float, y: float, label: str, value: str, *, label_font: str = "sans", value_font: str = "sans-bold",
              size: float = 28, max_w: float | None = None) -> None:
        self.text(x, y, label, size * 0.62, font=label_font, fill=(90, 90, 100))
        self.text(x, y + size * 0.78, value, size, font=value_font, max_w=max_w)

    def guilloche(self) -> None:
        """Fine interlaced sine curves: the security-print texture of real documents."""
        r = self.rng
        col = tuple(int(c * r.uniform(0.82, 0.93)) for c in self.t.bg)
        step = self.px(r.uniform(18, 30))
        amp, period = r.uniform(10, 30), r.uniform(120, 260)
        xs = np.linspace(0, self.w, max(40, self.w // 4))
        for k, y0 in enumerate(range(-step, self.h + step, max(2, step))):
            phase = k * r.uniform(0.2, 0.5)
            ys = y0 + self.px(amp) * np.sin(2 * math.pi * xs / self.px(period) + phase)
            self.draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=col, width=max(1, self.px(1.3)))
        # a faint emblem
        cx, cy, rad = self.px(r.uniform(550, 800)), self.px(self.uh * r.uniform(0.35, 0.6)), self.px(r.uniform(90, 150))
        for i in range(6):
            rr = rad - i * self.px(12)
            self.draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=col, width=max(1, self.px(2)))

    def portrait(self, plan: dict, x0: float, y0: float, x1: float, y1: float) -> None:
        face = next(f for f in assets.face_photos() if f.name == plan["portrait"])
        fx, fy, fw, fh = face.face
        bw, bh = x1 - x0, y1 - y0
        # head and shoulders: the face fills about 55 % of the box width, eyes in the upper half
        crop_w = fw / 0.58
        crop_h = crop_w * bh / bw
        cx, top = fx + fw / 2, fy - fh * 0.45
        crop = face.image.crop((int(cx - crop_w / 2), int(top), int(cx + crop_w / 2), int(top + crop_h)))
        if plan["portrait_flip"]:
            crop = ImageOps.mirror(crop)
        if plan["portrait_grey"]:
            crop = ImageOps.grayscale(crop).convert("RGB")
            crop = ImageEnhance.Contrast(crop).enhance(1.1)
        box = self.box(x0, y0, x1, y1)
        self.img.paste(crop.resize((box[2] - box[0], box[3] - box[1]), Image.LANCZOS), box[:2])
        self.draw.rectangle(box, outline=(120, 120, 120), width=max(1, self.px(1.5)))
        self.regions["portrait"] = box

    def ghost(self, plan: dict, x0: float, y0: float, x1: float, y1: float) -> None:
        """The small faded second portrait many cards print."""
        sub = _Card(self.t, self.px(x1 - x0) * 4, self.rng)
        sub.portrait(plan, 0, 0, 1000, 1000 * (y1 - y0) / (x1 - x0))
        box = self.box(x0, y0, x1, y1)
        ghost = ImageOps.grayscale(sub.img.crop(sub.regions["portrait"])).resize((box[2] - box[0], box[3] - box[1]))
        faded = Image.blend(Image.new("RGB", ghost.size, self.t.bg), ghost.convert("RGB"), 0.35)
        self.img.paste(faded, box[:2])

    def mrz(self, lines: list[str], y0: float) -> None:
        """The MRZ in a monospace face, spread over the card's width like OCR-B."""
        n = len(lines[0])
        size = 940 / (n * 0.602)
        for i, line in enumerate(lines):
            self.text(30, y0 + i * size * 1.18, line, size, font="mono", fill=(15, 15, 20), max_w=950)
        self.regions["mrz"] = self.box(20, y0 - 10, 980, y0 + len(lines) * size * 1.18 + 5)

    def finish(self) -> Image.Image:
        return self.img


def _passport(c: _Card, plan: dict) -> None:
    t = c.t
    zh = t.script == "zh"
    c.guilloche()
    c.text(500, 18, t.titles[0], 30, font="cjk-sc-bold" if zh else "serif-bold", fill=t.accent, anchor="ma",
           max_w=940)
    c.text(500, 62, t.titles[1], 26, font="cjk-sc" if zh else "sans-bold", fill=t.accent, anchor="ma")
    c.portrait(plan, 40, 120, 300, 460)
    x, x2 = 330, 660
    name_given = plan["given"]
    lab = (lambda zh_l, en_l: f"{zh_l}/{en_l}") if zh else (lambda zh_l, en_l: en_l)
    font_l = "cjk-sc" if zh else "sans"
    vf = "cjk-sc-bold" if zh else "sans-bold"
    c.field(x, 110, lab("类型", "Type"), t.doc_type, label_font=font_l, value_font=vf)
    c.field(x + 140, 110, lab("国家码", "Code"), t.country.replace("<", ""), label_font=font_l, value_font=vf)
    c.field(x2, 110, lab("护照号", "Passport No."), plan["number"], label_font=font_l, value_font=vf)
    c.field(x, 170, lab("姓", "Surname"), plan["surname"], label_font=font_l, max_w=620)
    if zh:
        c.text(x + 300, 170, plan.get("name_zh", ""), 30, font="cjk-sc-bold")
    c.field(x, 230, lab("名", "Given names"), name_given, label_font=font_l, max_w=620)
    birth = date.fromisoformat(plan["birth"])
    issued = date.fromisoformat(plan["issued"])
    form = t.date_form
    c.field(x, 290, lab("出生日期", "Date of birth"), people.format_date(birth, form), label_font=font_l, value_font=vf)
    c.field(x2, 290, lab("性别", "Sex"), plan["sex"], label_font=font_l, value_font=vf)
    c.field(x, 350, lab("签发日期", "Date of issue"), people.format_date(issued, form), label_font=font_l, value_font=vf)
    c.field(x2, 350, lab("签发地点", "Authority"), "MIA" if not zh else "出入境管理局", label_font=font_l,
            value_font=vf, max_w=300)
    c.field(x, 410, lab("有效期至", "Date of expiry"), plan["expiry_text"], label_font=font_l,
            value_font=vf)
    c.regions["text"] = c.box(x, 110, 980, 470)
    c.mrz(plan["mrz"], c.uh - 150)


def _passport_us(c: _Card, plan: dict) -> None:
    t = c.t
    c.guilloche()
    c.text(40, 20, t.titles[1], 40, font="serif-bold", fill=t.accent)
    c.text(960, 26, t.titles[0], 26, font="serif", fill=t.accent, anchor="ra")
    c.portrait(plan, 40, 100, 290, 440)
    x = 320
    c.field(x, 95, "Type / Type / Tipo", "P", size=24)
    c.field(x + 200, 95, "Code / Code / Código", "USA", size=24)
    c.field(x + 420, 95, "Passport No. / No. du Passeport", plan["number"], size=24)
    c.field(x, 150, "Surname / Nom / Apellidos", plan["surname"], size=26, max_w=640)
    c.field(x, 205, "Given Names / Prénoms / Nombres", plan["given"], size=26, max_w=640)
    c.field(x, 260, "Nationality / Nationalité", "UNITED STATES OF AMERICA", size=24)
    birth, issued = date.fromisoformat(plan["birth"]), date.fromisoformat(plan["issued"])
    c.field(x, 315, "Date of birth / Date de naissance", people.format_date(birth, "dmy_mon"), size=24)
    c.field(x + 420, 315, "Sex / Sexe", plan["sex"], size=24)
    c.field(x, 370, "Date of issue / Date de délivrance", people.format_date(issued, "dmy_mon"), size=24)
    c.field(x, 425, "Date of expiration / Date d'expiration", plan["expiry_text"], size=24)
    c.regions["text"] = c.box(x, 95, 980, 470)
    c.ghost(plan, 830, 360, 940, 480)
    c.mrz(plan["mrz"], c.uh - 150)


def _card_front(c: _Card, plan: dict) -> None:
    t = c.t
    c.guilloche()
    c.draw.rectangle(c.box(0, 0, 1000, 95), fill=tuple(int(v * 0.85) for v in t.bg))
    c.text(40, 14, t.titles[0], 36, font="sans-bold", fill=t.accent, max_w=900)
    c.text(40, 58, t.titles[1], 22, font="sans", fill=t.accent, max_w=920)
    c.portrait(plan, 40, 120, 320, 500)
    x = 350
    birth = date.fromisoformat(plan["birth"])
    c.field(x, 115, "Name / Surname / Nom", plan["surname"], max_w=600)
    c.field(x, 180, "Vornamen / Given names / Prénoms", plan["given"], max_w=600)
    c.field(x, 245, "Geburtstag / Date of birth", people.format_date(birth, t.date_form))
    c.field(x + 380, 245, "Sex", plan["sex"])
    c.field(x, 310, "Staatsangehörigkeit / Nationality", t.country.replace("<", "") or "D")
    c.field(x, 375, "Gültig bis / Date of expiry / Valable jusqu'au", plan["expiry_text"])
    c.field(x, 440, "Dokumentnummer / Document No.", plan["number"], size=26)
    c.regions["text"] = c.box(x, 115, 980, 500)
    c.ghost(plan, 820, 420, 940, 560)
    c.text(40, c.uh - 60, "Signature", 20, fill=(90, 90, 100))
    c.text(180, c.uh - 70, plan["given"].split()[0].title() + " " + plan["surname"].title(), 34, font="serif",
           fill=(30, 30, 110))


def _card_back(c: _Card, plan: dict) -> None:
    t = c.t
    c.guilloche()
    c.text(40, 30, "Anschrift / Address / Adresse", 22, fill=(90, 90, 100))
    c.text(40, 62, f"{int(c.rng.integers(1, 200))} {str(c.rng.choice(['MAIN STREET', 'RUE DE LA PAIX', 'HAUPTSTR.', 'CALLE MAYOR']))}",
           30, font="sans-bold")
    c.text(40, 102, f"{int(c.rng.integers(10000, 99999))} {str(c.rng.choice(['BERLIN', 'PARIS', 'MADRID', 'LONDON']))}",
           30, font="sans-bold")
    issued = date.fromisoformat(plan["issued"])
    c.field(40, 150, "Ausgestellt / Date of issue", people.format_date(issued, t.date_form))
    c.field(520, 150, "Behörde / Authority", str(c.rng.choice(["STADT KÖLN", "PREFECTURE 75", "HOME OFFICE", "DGP"])),
            max_w=440)
    # a 2-D code block
    x0, y0, cell = 760, 30, 9
    for i in range(12):
        for j in range(10):
            if c.rng.random() < 0.5:
                c.draw.rectangle(c.box(x0 + i * cell, y0 + j * cell, x0 + (i + 1) * cell, y0 + (j + 1) * cell), fill=(30, 30, 30))
    c.regions["text"] = c.box(40, 30, 980, 230)
    c.mrz(plan["mrz"], c.uh - 210)


def _card_td2(c: _Card, plan: dict) -> None:
    t = c.t
    c.guilloche()
    c.text(500, 16, t.titles[0], 32, font="serif-bold", fill=t.accent, anchor="ma")
    c.text(500, 56, t.titles[1], 24, font="sans-bold", fill=t.accent, anchor="ma", max_w=940)
    c.portrait(plan, 40, 110, 290, 440)
    x = 320
    birth, issued = date.fromisoformat(plan["birth"]), date.fromisoformat(plan["issued"])
    c.field(x, 105, "NOM / SURNAME", plan["surname"], max_w=640)
    c.field(x, 165, "PRÉNOMS / GIVEN NAMES", plan["given"], max_w=640)
    c.field(x, 225, "NÉ(E) LE / DATE OF BIRTH", people.format_date(birth, t.date_form))
    c.field(x + 420, 225, "SEXE / SEX", plan["sex"])
    c.field(x, 285, "DÉLIVRÉ LE / ISSUED", people.format_date(issued, t.date_form))
    c.field(x, 345, "VALABLE JUSQU'AU / VALID UNTIL", plan["expiry_text"])
    c.field(x + 420, 285, "N° / NUMBER", plan["number"])
    c.regions["text"] = c.box(x, 105, 980, 410)
    c.mrz(plan["mrz"], c.uh - 125)


def _visa(c: _Card, plan: dict) -> None:
    t = c.t
    c.guilloche()
    c.text(40, 16, t.titles[0], 56, font="serif-bold", fill=t.accent)
    c.text(300, 34, t.titles[1], 26, font="sans-bold", fill=t.accent, max_w=660)
    c.portrait(plan, 40, 110, 270, 420)
    x = 300
    birth, issued = date.fromisoformat(plan["birth"]), date.fromisoformat(plan["issued"])
    form = t.date_form
    c.field(x, 105, "VALABLE POUR / VALID FOR", str(c.rng.choice(["ETATS SCHENGEN", "SINGLE ENTRY", "MULTIPLE"])), size=26)
    c.field(x, 160, "DU / FROM", people.format_date(issued, form), size=26)
    c.field(x + 330, 160, "AU / UNTIL", plan["expiry_text"], size=26)
    c.field(x, 215, "TYPE DE VISA / TYPE OF VISA", str(c.rng.choice(["C", "D", "V-1"])), size=26)
    c.field(x + 330, 215, "N° DU PASSEPORT / PASSPORT No.", people.doc_number(c.rng, "A9999999"), size=26)
    c.field(x, 270, "NOM, PRÉNOM / SURNAME, NAME", f"{plan['surname']}, {plan['given']}", size=26, max_w=660)
    c.field(x, 325, "DATE OF BIRTH", people.format_date(birth, form), size=26)
    c.field(x + 330, 325, "VISA No.", plan["number"], size=26)
    c.regions["text"] = c.box(x, 105, 980, 400)
    c.mrz(plan["mrz"], c.uh - 150)


def _dl_eu(c: _Card, plan: dict) -> None:
    t = c.t
    c.guilloche()
    c.draw.rectangle(c.box(30, 20, 150, 110), fill=(30, 50, 140))
    c.text(90, 50, plan["country"][:2], 40, font="sans-bold", fill=(250, 220, 40), anchor="ma")
    c.text(180, 20, t.titles[0], 40, font="sans-bold", fill=t.accent)
    c.text(180, 70, t.titles[1], 22, fill=t.accent, max_w=780)
    c.portrait(plan, 40, 140, 300, 500)
    x = 330
    birth, issued = date.fromisoformat(plan["birth"]), date.fromisoformat(plan["issued"])
    rows = [("1.", plan["surname"]), ("2.", plan["given"]), ("3.", f"{birth:%d.%m.%Y} {str(c.rng.choice(['AMSTERDAM', 'UTRECHT', 'ROTTERDAM']))}"),
            ("4a.", f"{issued:%d.%m.%Y}"), ("4b.", plan["expiry_text"]), ("4c.", "GEMEENTE " + str(c.rng.choice(["DELFT", "LEIDEN"]))),
            ("5.", plan["number"]), ("9.", str(c.rng.choice(["AM/B", "B", "B/BE"])))]
    for i, (num, val) in enumerate(rows):
        c.text(x, 140 + i * 48, num, 26, fill=(60, 60, 70))
        c.text(x + 70, 140 + i * 48, val, 30, font="sans-bold", max_w=560)
    c.regions["text"] = c.box(x, 140, 980, 520)


def _dl_us(c: _Card, plan: dict) -> None:
    t = c.t
    c.guilloche()
    c.text(40, 14, t.titles[0], 44, font="serif-bold", fill=t.accent)
    c.text(960, 24, t.titles[1], 32, font="sans-bold", fill=(150, 30, 30), anchor="ra")
    c.portrait(plan, 40, 100, 300, 440)
    x = 330
    birth = date.fromisoformat(plan["birth"])
    c.text(x, 100, "DL", 24, font="sans-bold", fill=(150, 30, 30))
    c.text(x + 60, 96, plan["number"], 34, font="sans-bold")
    c.text(x, 150, "EXP", 24, font="sans-bold", fill=(150, 30, 30))
    c.text(x + 70, 146, plan["expiry_text"], 34, font="sans-bold")
    c.text(x, 205, "LN", 22, fill=(150, 30, 30))
    c.text(x + 50, 200, plan["surname"], 32, font="sans-bold", max_w=560)
    c.text(x, 250, "FN", 22, fill=(150, 30, 30))
    c.text(x + 50, 245, plan["given"], 32, font="sans-bold", max_w=560)
    c.text(x, 300, f"{int(c.rng.integers(100, 9999))} {str(c.rng.choice(['OAK ST', 'PINE AVE', 'MAIN ST']))}", 26)
    c.text(x, 340, "DOB", 22, fill=(150, 30, 30))
    c.text(x + 70, 335, birth.strftime("%m/%d/%Y"), 30, font="sans-bold")
    c.text(x + 330, 340, f"SEX {plan['sex']}   HGT 5'-0{int(c.rng.integers(1, 9))}\"", 22)
    c.text(x, 390, "CLASS C   END NONE   RSTR NONE", 22)
    c.regions["text"] = c.box(x, 96, 980, 420)
    c.ghost(plan, 820, 430, 950, 590)


def _cn_front(c: _Card, plan: dict) -> None:
    c.guilloche()
    birth = date.fromisoformat(plan["birth"])
    lab = (80, 110, 150)
    sexes = {"F": "女", "M": "男"}
    c.text(60, 60, "姓  名", 28, font="cjk-sc", fill=lab)
    c.text(190, 54, plan["name_zh"], 38, font="cjk-sc")
    c.text(60, 130, "性  别", 28, font="cjk-sc", fill=lab)
    c.text(190, 126, sexes[plan["sex"]], 32, font="cjk-sc")
    c.text(300, 130, "民  族", 28, font="cjk-sc", fill=lab)
    c.text(420, 126, plan["ethnic"], 32, font="cjk-sc")
    c.text(60, 200, "出  生", 28, font="cjk-sc", fill=lab)
    c.text(190, 196, f"{birth.year}  年  {birth.month}  月  {birth.day}  日", 32, font="cjk-sc")
    c.text(60, 270, "住  址", 28, font="cjk-sc", fill=lab)
    addr = plan["address"]
    c.text(190, 266, addr[:12], 32, font="cjk-sc")
    c.text(190, 312, addr[12:], 32, font="cjk-sc")
    c.text(60, 520, "公民身份号码", 28, font="cjk-sc", fill=lab)
    c.text(300, 514, plan["number"], 38, font="mono-bold", fill=(15, 15, 20))
    c.regions["text"] = c.box(60, 54, 640, 580)
    c.portrait(plan, 660, 90, 940, 450)


def _cn_back(c: _Card, plan: dict) -> None:
    c.guilloche()
    red = c.t.accent
    c.draw.ellipse(c.box(60, 40, 210, 190), outline=red, width=max(1, c.px(6)))
    c.text(135, 85, "★", 60, font="cjk-sc", fill=red, anchor="ma")
    c.text(560, 60, "中华人民共和国", 52, font="cjk-sc-bold", anchor="ma")
    c.text(560, 150, "居民身份证", 80, font="cjkserif-sc-bold", anchor="ma")
    lab = (60, 60, 70)
    c.text(220, 420, "签发机关", 28, font="cjk-sc", fill=lab)
    c.text(380, 416, plan["issuer_zh"], 32, font="cjk-sc")
    c.text(220, 490, "有效期限", 28, font="cjk-sc", fill=lab)
    c.text(380, 486, plan["expiry_text"], 32, font="cjk-sc")
    c.regions["text"] = c.box(220, 410, 980, 540)


def _cn_dl(c: _Card, plan: dict) -> None:
    c.guilloche()
    t = c.t
    c.text(500, 18, t.titles[0], 40, font="cjk-sc-bold", fill=t.accent, anchor="ma")
    c.text(500, 70, t.titles[1], 20, fill=t.accent, anchor="ma")
    birth, issued = date.fromisoformat(plan["birth"]), date.fromisoformat(plan["issued"])
    lab = (60, 70, 110)
    rows = [("证号", plan["number"]), ("姓名", plan["name_zh"]), ("性别", {"F": "女", "M": "男"}[plan["sex"]]),
            ("国籍", "中国"), ("住址", plan["address"]), ("出生日期", birth.isoformat()),
            ("初次领证日期", issued.isoformat()), ("准驾车型", str(c.rng.choice(["C1", "C2", "B2", "A1"]))),
            ("有效期限", plan["expiry_text"])]
    for i, (k, v) in enumerate(rows):
        y = 115 + i * 52
        c.text(40, y, k, 26, font="cjk-sc", fill=lab)
        c.text(230, y - 4, v, 30, font="cjk-sc", max_w=480 if i < 8 else 740)
    c.regions["text"] = c.box(40, 115, 980, 115 + 9 * 52)
    c.portrait(plan, 740, 130, 960, 420)


def _hk_id(c: _Card, plan: dict) -> None:
    c.guilloche()
    t = c.t
    c.text(40, 20, t.titles[0], 40, font="cjk-hk-bold", fill=t.accent)
    c.text(40, 72, t.titles[1], 24, font="sans-bold", fill=t.accent)
    birth, issued = date.fromisoformat(plan["birth"]), date.fromisoformat(plan["issued"])
    c.text(40, 140, plan["name_zh"], 44, font="cjk-hk")
    c.text(40, 200, f"{plan['surname']}, {plan['given']}", 32, font="sans-bold", max_w=580)
    c.text(40, 260, f"{int(c.rng.integers(1000, 9999))} {int(c.rng.integers(1000, 9999))}", 30, font="mono")
    c.text(40, 320, "出生日期 Date of Birth", 22, font="cjk-hk", fill=(80, 80, 90))
    c.text(40, 350, birth.strftime("%d-%m-%Y") + f"   {plan['sex']}", 32, font="sans-bold")
    c.text(40, 410, "簽發日期 Date of Issue", 22, font="cjk-hk", fill=(80, 80, 90))
    c.text(40, 440, issued.strftime("(%m-%y)  %d-%m-%y"), 30, font="sans-bold")
    c.text(40, 540, plan["number"], 44, font="sans-bold")
    c.regions["text"] = c.box(40, 140, 640, 600)
    c.portrait(plan, 660, 140, 950, 500)


_DRAWERS = {"passport": _passport, "passport_us": _passport_us, "card_td2": _card_td2, "visa": _visa,
            "dl_eu": _dl_eu, "dl_us": _dl_us, "cn_front": _cn_front, "cn_back": _cn_back, "cn_dl": _cn_dl,
            "hk_id": _hk_id}


def draw_document(plan: dict, width: int, rng: np.random.Generator) -> tuple[Image.Image, dict]:
    """The flat document at `width` pixels, and its regions (text, portrait, mrz) in those pixels."""
    t = TEMPLATES[plan["template"]]
    card = _Card(t, width, rng)
    if t.layout == "card":
        (_card_back if plan["side"] == "back" else _card_front)(card, plan)
    else:
        _DRAWERS[t.layout](card, plan)
    return card.finish(), card.regions
