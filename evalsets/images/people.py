"""Invented holders of documents: names, numbers and dates (nothing here is a real person's data)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

SURNAMES = ("MUELLER", "SCHMIDT", "DUBOIS", "MARTIN", "GARCIA", "LOPEZ", "ROSSI", "BIANCHI", "NOVAK", "KOWALSKA",
            "JOHANSSON", "NIELSEN", "OKAFOR", "MENSAH", "SILVA", "COSTA", "TANAKA", "SATO", "NGUYEN", "TRAN",
            "KIM", "PARK", "SMITH", "JONES", "WILLIAMS", "O'BRIEN", "VAN DER BERG", "HOLLAND", "PETROV", "YILMAZ")
GIVEN = ("ANNA", "MARIA", "LUKAS", "SOPHIE", "PIERRE", "CAMILLE", "JAVIER", "LUCIA", "MARCO", "GIULIA", "JAN",
         "EWA", "ERIK", "INGRID", "CHIDI", "AMA", "JOAO", "BEATRIZ", "HIROSHI", "YUKI", "MINH", "LAN", "JIHO",
         "SEOYEON", "JOHN", "EMILY", "OLIVER", "GRACE", "IVAN", "ELIF")
ZH_SURNAMES = (("王", "WANG"), ("李", "LI"), ("张", "ZHANG"), ("刘", "LIU"), ("陈", "CHEN"), ("杨", "YANG"),
               ("黄", "HUANG"), ("赵", "ZHAO"), ("吴", "WU"), ("周", "ZHOU"), ("徐", "XU"), ("孙", "SUN"))
ZH_GIVEN = (("伟", "WEI"), ("芳", "FANG"), ("娜", "NA"), ("秀英", "XIUYING"), ("敏", "MIN"), ("静", "JING"),
            ("丽", "LI"), ("强", "QIANG"), ("磊", "LEI"), ("军", "JUN"), ("洋", "YANG"), ("艳", "YAN"),
            ("杰", "JIE"), ("明华", "MINGHUA"), ("建国", "JIANGUO"), ("晓东", "XIAODONG"))
ZH_HANT = str.maketrans({"张": "張", "刘": "劉", "陈": "陳", "杨": "楊", "黄": "黃", "赵": "趙", "吴": "吳",
                         "孙": "孫", "丽": "麗", "强": "強", "军": "軍", "杰": "傑", "华": "華", "国": "國",
                         "晓": "曉", "东": "東", "艳": "艷"})
ETHNIC = ("汉", "满", "回", "壮", "苗", "蒙古")
PROVINCES = ("北京市朝阳区建国路88号", "上海市浦东新区世纪大道100号", "广东省深圳市南山区科技园路1号",
             "浙江省杭州市西湖区文三路259号", "四川省成都市武侯区人民南路四段12号", "江苏省南京市鼓楼区中山路18号")
ISSUERS = ("北京市公安局朝阳分局", "上海市公安局浦东分局", "深圳市公安局南山分局", "杭州市公安局西湖分局")

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def random_date(rng: np.random.Generator, start: date, end: date) -> date:
    return start + timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def latin_person(rng: np.random.Generator) -> dict:
    surname = str(rng.choice(SURNAMES))
    given = " ".join(rng.choice(GIVEN, size=int(rng.integers(1, 3)), replace=False))
    return {"surname": surname, "given": given, "sex": str(rng.choice(["F", "M"])),
            "birth": random_date(rng, date(1950, 1, 1), date(2005, 12, 31))}


def chinese_person(rng: np.random.Generator) -> dict:
    sur = ZH_SURNAMES[int(rng.integers(len(ZH_SURNAMES)))]
    giv = ZH_GIVEN[int(rng.integers(len(ZH_GIVEN)))]
    return {"surname": sur[1], "given": giv[1], "name_zh": sur[0] + giv[0], "sex": str(rng.choice(["F", "M"])),
            "birth": random_date(rng, date(1950, 1, 1), date(2005, 12, 31)),
            "ethnic": str(rng.choice(ETHNIC)), "address": str(rng.choice(PROVINCES)),
            "issuer_zh": str(rng.choice(ISSUERS))}


def doc_number(rng: np.random.Generator, pattern: str) -> str:
    """A = letter, 9 = digit, anything else literal."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return "".join(str(rng.choice(list(letters))) if c == "A" else str(rng.integers(10)) if c == "9" else c
                   for c in pattern)


def cn_id_number(rng: np.random.Generator, birth: date, sex: str) -> str:
    """An 18-character resident ID number with its ISO 7064 MOD 11-2 check character."""
    area = str(rng.choice(["110105", "310115", "440305", "330106", "510107", "320106"]))
    seq = int(rng.integers(0, 50)) * 2 + (1 if sex == "M" else 0)
    body = area + birth.strftime("%Y%m%d") + f"{int(rng.integers(10))}{seq:02d}"[-3:]
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def format_date(d: date, style: str) -> str:
    """Printed date in one of the forms documents use."""
    mon = MONTHS[d.month - 1]
    return {
        "dmy_mon": f"{d.day:02d} {mon} {d.year}",
        "dmy_mon_zh": f"{d.day:02d} {mon} /{d.month}月 {d.year}",
        "dmy_zh_mon": f"{d.day:02d} {d.month}月/{mon} {d.year}",
        "dmy_mon_fr": f"{d.day:02d} {mon}/{mon} {d.year}",
        "dmy_dot": d.strftime("%d.%m.%Y"),
        "dmy_slash": d.strftime("%d/%m/%Y"),
        "dmy_space": d.strftime("%d %m %Y"),
        "mdy_slash": d.strftime("%m/%d/%Y"),
        "iso": d.isoformat(),
        "dot_ymd": d.strftime("%Y.%m.%d"),
        "dmy_dash": d.strftime("%d-%m-%Y"),
    }[style]
