"""Text normalisation that keeps a map back to the original, so evidence quotes the customer's words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Traditional -> simplified for the characters our phrases use. OpenCC (a pinned dependency, also used by
# OCR) folds every other traditional character; this table is what matching needs where it is missing.
_T2S_PAIRS = (
    "證证 認认 識识 臉脸 網网 絡络 傳传 審审 護护 過过 與与 帳账 賬账 戶户 凍冻 結结 異异 錄录 頁页 載载"
    " 緩缓 設设 備备 機机 攝摄 頭头 統统 舊旧 檢检 測测 體体 敗败 時时 轉转 應应 沒没 題题 問问 號号 碼码"
    " 錯错 誤误 寫写 簽签 駕驾 駛驶 據据 圖图 顯显 鏡镜 訊讯 線线 連连 穩稳 請请 試试 無无 開开 關关 處处"
    " 進进 還还 風风 險险 鎖锁 盜盗 瀏浏 覽览 閃闪 級级 數数 輸输 對对 張张 兩两 個个 歲岁 擋挡 虛虚 環环"
    " 幾几 週周 麼么 嗎吗 為为 點点 擊击 鈕钮 彈弹 壞坏 損损 視视 權权 許许 驗验 資资 產产 現现 發发 給给"
    " 這这 說说 們们 會会 後后 來来 樣样 讓让 從从 裡里 裏里 這这 燈灯 亮亮 間间 書书 單单 戲戏 紅红 聯联"
    " 絡络 線线 雲云 態态 狀状 額额 優优 務务 態态 長长 將将 專专 業业 準准 確确 畫画 麵面 臺台 檔档 濾滤"
    " 漸渐 慢慢 斷断 勁劲 辦办 啟启 動动 換换 達达 選选 擇择 填填 區区 場场 執执 照照 紀纪 錢钱 幣币 儲储"
    " 値值 值值 為为 隻只 驟骤 歷历 劃划 貼贴 於于 們们 邊边 緣缘 缺缺 剪剪 遮遮 罩罩 帶带 戴戴 鬍胡 髮发"
    " 偵侦 實实 鬚须 瘦瘦 胖胖 辨辨 別别 匹匹 碼码 拼拼 錄录 碼码 戶户 號号 頻频 率率 彆别 遲迟 緊紧 複复 雜杂 觸触"
    " 讀读 輕轻 鬆松 聲声 響响 預预 計计 約约 佈布 裝装 尋寻 獲获 卻却 嚴严 戰战 掃扫 描描 釋释 贊赞 鐘钟 鍵键"
    " 電电 腦脑 螢萤 塊块 夾夹 話话 當当 記记 難难 離离 續续 鏈链 兒儿 氣气 車车 壓压 積积 滿满 總总 筆笔 著着"
)
# Cantonese words with a Mandarin equivalent, folded character by character (Hong Kong customers write
# "唔得", "冇反應", "上載咗"): the phrase table is written in Mandarin.
CANTONESE: dict[str, str] = {
    "係": "是", "唔": "不", "冇": "没有", "咗": "了", "喺": "在", "嘅": "的", "佢": "他", "啲": "些", "嘢": "东西",
    "睇": "看", "俾": "给", "乜": "什么", "咩": "什么", "嗰": "那", "揾": "找", "搵": "找", "撳": "点", "揿": "点",
    "矇": "模糊", "咁": "这么",
}
T2S: dict[str, str] = {}
for _pair in _T2S_PAIRS.split():
    T2S[_pair[0]] = _pair[1]

# Taiwan/HK vocabulary that differs from mainland usage, mapped after the character pass.
_VOCAB = (
    ("网路", "网络"),
    ("连线", "连接"),
    ("身分证", "身份证"),
    ("身分", "身份"),
    ("快取", "缓存"),
    ("档案", "文件"),
    ("桌机", "电脑"),
    ("萤幕", "屏幕"),
    ("荧幕", "屏幕"),
    ("镜头", "摄像头"),
    ("相机", "摄像头"),
    ("辨识", "识别"),
    ("讯息", "信息"),
    ("软体", "软件"),
    ("影像", "图像"),
    ("登入", "登录"),
    ("登陆", "登录"),
    ("帐", "账"),
    ("载入", "加载"),
    ("侦测", "检测"),
    ("装置", "设备"),
    ("审合", "审核"),
    ("申核", "审核"),
    # Taiwan and Hong Kong wording
    ("上载", "上传"),
    ("逾时", "超时"),
    ("重新整理", "刷新"),
    ("跑版", "排版乱"),
    ("当机", "卡死"),
    ("视讯", "视频"),
    ("支援", "支持"),
    ("摄影机", "摄像头"),
    ("断线", "断网"),
    ("讯号", "信号"),
    ("手提电脑", "笔记本电脑"),
    ("程式", "程序"),
    ("批核", "审核"),
    ("连结", "链接"),
    ("影印", "复印"),
    # Cantonese phrases (after the characters above were folded)
    ("关是", "关系"),
    ("联是", "联系"),
    ("是咪", "是不是"),
    ("点解", "为什么"),
    ("点样", "怎么"),
    ("而家", "现在"),
    ("几耐", "多久"),
    ("好耐", "好久"),
    ("这么耐", "这么久"),
    ("成日", "一直"),
    ("不啱", "不对"),
    ("不夹", "不一致"),
    ("块面", "脸"),
    ("认不到", "识别不到"),
    ("张相", "张照片"),
    ("些相", "些照片"),
    ("个相", "个照片"),
    ("搞掂", "搞定"),
)


def _beside_han(word: str) -> re.Pattern:
    """An English word written against Chinese characters, on either side (a space allowed), not inside a word."""
    return re.compile(r"(?<=[\u4e00-\u9fff])\s?(?:%s)(?![a-z])|(?<![a-z])(?:%s)\s?(?=[\u4e00-\u9fff])" % (word, word))


# Cantonese words that need context: 仲 (still, not 仲裁), 影 (to photograph, not 影响/影片), 话 (to say,
# not 电话/说话/的话), and English verbs in a Chinese sentence ("load唔到", "detect唔到").
_VOCAB_RE = (
    (re.compile(r"仲(?!裁)"), "还"),
    (re.compile(r"还未"), "还没"),
    (re.compile(r"重影"), "重拍"),
    (re.compile(r"(?<![电阴录合倒])影(?=相|了|不|过|得|张|好|清|嘅|的相)"), "拍"),
    (re.compile(r"(?<![电对说通讲笑废的句])话(?![费题筒术])"), "说"),
    (re.compile(r"load\s*(?:不到|不了|不出)"), "加载不出"),
    (re.compile(r"detect\s*(?:不到|不了)"), "检测不到"),
    # English screen words inside a Chinese sentence ("个page一直refresh", "卡在loading")
    (_beside_han(r"(?:web)?page"), "页面"),
    (_beside_han(r"(?:refresh|reload)(?:ing)?"), "刷新"),
    (_beside_han(r"loading"), "加载中"),
    (_beside_han(r"load"), "加载"),
    (_beside_han(r"upload"), "上传"),
)

# Typos seen in real tickets; fuzzy matching below catches the rest of the one-letter slips.
_TYPOS = {
    "verifcation": "verification",
    "verfication": "verification",
    "verificaton": "verification",
    "verication": "verification",
    "varification": "verification",
    "verifiction": "verification",
    "verfiy": "verify",
    "veryfy": "verify",
    "verfy": "verify",
    "uplaod": "upload",
    "upoad": "upload",
    "uplod": "upload",
    "uploud": "upload",
    "pasport": "passport",
    "passprt": "passport",
    "passort": "passport",
    "selfy": "selfie",
    "sefie": "selfie",
    "selfi": "selfie",
    "camara": "camera",
    "camra": "camera",
    "netwrok": "network",
    "netowrk": "network",
    "newtork": "network",
    "conection": "connection",
    "connexion": "connection",
    "pendng": "pending",
    "pening": "pending",
    "reveiw": "review",
    "reviw": "review",
    "blury": "blurry",
    "bluury": "blurry",
    "blurr": "blurry",
    "expierd": "expired",
    "expried": "expired",
    "exipred": "expired",
    "liveliness": "liveness",
    "livness": "liveness",
    "licence": "license",
    "licens": "license",
    "lisence": "license",
    "documnet": "document",
    "docuemnt": "document",
    "identiy": "identity",
    "frozed": "frozen",
    "freezed": "frozen",
    "hackd": "hacked",
    "loadin": "loading",
    "realy": "really",
    "untill": "until",
    "wifi": "wifi",
    "wi-fi": "wifi",
}

# Words worth correcting by edit distance (long enough that one slip does not create a real word).
_KEYWORDS = (
    "verification", "verified", "passport", "uploading", "network", "connection", "pending",
    "selfie", "camera", "liveness", "license", "document", "expired", "blurry", "restricted",
    "suspended", "account", "browser", "loading", "unsupported", "identity", "mismatch",
    "birthday", "address", "timeout", "approved", "submitted", "rejected", "suspicious",
    "detected", "recognition", "reflection", "resolution", "compromised", "android", "incognito",
)
_REAL_WORDS = frozenset(
    "preview previews reviews viewed pendant spending depending passports uploaded verifies"
    " addressed addresses accounts browsers cameras selfies documents networks connections"
    " sending ending lending tending mending bending spending heading reading landing leading"
    " rejecting detecting expires expire detector recognised recognized licensed".split()
)

# Pinyin without tones, as customers type it when they have no Chinese keyboard: the support words
# only, as whole multi-syllable words (one syllable alone is too often an English word).
_PINYIN = (
    ("shen ?fen ?zheng", "身份证"), ("zheng ?jian", "证件"), ("hu ?zhao", "护照"), ("jia ?zhao", "驾照"),
    ("zhao ?pian", "照片"), ("ren ?lian", "人脸"), ("shua ?lian", "刷脸"), ("zi ?pai", "自拍"),
    ("huo ?ti", "活体"), ("shi ?bie", "识别"), ("shi ?bai", "失败"), ("bu ?tong ?guo", "不通过"),
    ("bei ?ju", "被拒"), ("mo ?hu", "模糊"), ("bu ?qing ?xi", "不清晰"), ("bu ?qing ?chu", "不清楚"),
    ("fan ?guang", "反光"), ("guo ?qi", "过期"), ("guang ?xian", "光线"), ("tai ?an", "太暗"),
    ("jian ?ce", "检测"), ("wei ?jian ?ce ?dao", "未检测到"), ("shen ?he ?zhong", "审核中"), ("shen ?he", "审核"),
    ("shang ?chuan", "上传"), ("zhuan ?quan(?: ?quan)?", "转圈"), ("chu ?bu ?lai", "出不来"), ("chao ?shi", "超时"), ("wang ?luo", "网络"), ("cuo ?wu", "错误"),
    ("zhang ?hu", "账户"), ("zhang ?hao", "账号"), ("dong ?jie", "冻结"), ("an ?quan", "安全"),
    ("feng ?xian", "风险"), ("ye ?mian", "页面"), ("kong ?bai", "空白"), ("da ?bu ?kai", "打不开"),
    ("jia ?zai", "加载"), ("huan ?cun", "缓存"), ("she ?xiang ?tou", "摄像头"), ("she ?bei", "设备"),
    ("bu ?zhi ?chi", "不支持"), ("xing ?ming", "姓名"), ("ming ?zi", "名字"), ("sheng ?ri", "生日"),
    ("tian ?cuo", "填错"), ("xie ?cuo", "写错"), ("bu ?yi ?zhi", "不一致"), ("bu ?pi ?pei", "不匹配"),
    ("ren ?zheng", "认证"), ("yan ?zheng", "验证"), ("xing ?qi", "星期"), ("yi ?zhi", "一直"),
    ("xian ?shi", "显示"), ("jie ?guo", "结果"), ("duo ?jiu", "多久"), ("hai ?mei", "还没"),
    ("yi ?ge", "一个"), ("liang ?ge", "两个"), ("ji ?tian", "几天"), ("le", "了"), ("wo", "我"), ("de", "的"),
)
_PINYIN_RE = re.compile(r"(?<![a-z])(?:" + "|".join(p for p, _ in _PINYIN) + r")(?![a-z])")
_PINYIN_MAP = tuple((re.compile("^" + p + "$"), h) for p, h in _PINYIN)


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def _pinyin_word(m: re.Match) -> str:
    word = m.group(0)
    for pattern, hanzi in _PINYIN_MAP:
        if pattern.match(word):
            return hanzi
    return word


_CONTRACTIONS = (
    (r"\bcan\s*'?\s*t\b|\bcan not\b", "cannot"),
    (r"\bwon\s*'?\s*t\b", "will not"),
    (r"\b(does|do|did|is|are|was|were|has|have|had|could|would|should)n\s*'?\s*t\b", r"\1 not"),
)
_CONTRACTION_RES = tuple((re.compile(p), r) for p, r in _CONTRACTIONS)
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")


@dataclass(frozen=True)
class Normalized:
    """A normalised string plus, for each of its characters, the index of the original character."""

    text: str
    origin: tuple[int, ...]
    original: str

    def quote(self, start: int, end: int) -> str:
        """The customer's original words behind normalised span [start, end)."""
        if start >= end or not self.origin:
            return ""
        lo = self.origin[start]
        hi = self.origin[min(end, len(self.origin)) - 1] + 1
        # Widen to whole words for Latin text so the quote is readable.
        while lo > 0 and self.original[lo - 1].isascii() and self.original[lo - 1].isalnum():
            lo -= 1
        while hi < len(self.original) and self.original[hi].isascii() and self.original[hi].isalnum():
            hi += 1
        return " ".join(self.original[lo:hi].split())


@lru_cache(maxsize=1)
def _opencc():  # noqa: ANN202 - OpenCC's traditional -> simplified converter, or None without it
    try:
        import opencc
    except ImportError:
        return None
    return opencc.OpenCC("t2s")


def _fold_traditional(text: str) -> str:
    """The text with traditional characters simplified by OpenCC, one character for one (else unchanged)."""
    converter = None if text.isascii() else _opencc()
    if converter is None:
        return text
    folded = converter.convert(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f) == 1 else c for c, f in ((c, converter.convert(c)) for c in text))


def _char(c: str, folded: str | None = None) -> str:
    """One character: Cantonese to Mandarin, width-folded, lower-cased, traditional folded to simplified."""
    if c in CANTONESE:
        return CANTONESE[c]
    c = T2S.get(c, folded or c)
    n = unicodedata.normalize("NFKC", c).lower()
    if c in "’‘`´":
        return "'"
    if c in "“”":
        return '"'
    return T2S.get(n, n) if len(n) == 1 else n


def _substitute(text: str, origin: list[int], pattern: re.Pattern, repl) -> tuple[str, list[int]]:
    """re.sub that keeps the origin map aligned (replacement chars point into the replaced span)."""
    out: list[str] = []
    out_origin: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        new = m.expand(repl) if isinstance(repl, str) else repl(m)
        if new == m.group(0):
            continue
        out.append(text[pos:m.start()])
        out_origin.extend(origin[pos:m.start()])
        start_o = origin[m.start()] if m.start() < len(origin) else (origin[-1] if origin else 0)
        end_o = origin[m.end() - 1] if m.end() > m.start() else start_o
        out.append(new)
        out_origin.extend([start_o] + [end_o] * (len(new) - 1) if new else [])
        pos = m.end()
    out.append(text[pos:])
    out_origin.extend(origin[pos:])
    return "".join(out), out_origin


@lru_cache(maxsize=4096)
def _fuzzy(word: str) -> str:
    """Correct a one-edit typo of a keyword (insert, delete, substitute or swap)."""
    if len(word) < 6 or word in _REAL_WORDS or word in _KEYWORDS:
        return word
    for kw in _KEYWORDS:
        if abs(len(kw) - len(word)) <= 1 and _within_one_edit(word, kw):
            return kw
    return word


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau distance <= 1, without building a matrix."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def _fix_word(m: re.Match) -> str:
    word = m.group(0)
    return _TYPOS.get(word) or _fuzzy(word)


@lru_cache(maxsize=2048)
def normalize(text: str) -> Normalized:
    """Fold width, case, traditional characters, contractions and common typos; keep the origin map."""
    chars: list[str] = []
    origin: list[int] = []
    for i, (c, f) in enumerate(zip(text or "", _fold_traditional(text or ""))):
        n = _char(c, f)
        chars.append(n)
        origin.extend([i] * len(n))
    s = "".join(chars)
    for old, new in _VOCAB:
        if old in s:
            s, origin = _substitute(s, origin, re.compile(re.escape(old)), new)
    if not s.isascii():
        for pattern, new in _VOCAB_RE:
            s, origin = _substitute(s, origin, pattern, new)
    s, origin = _substitute(s, origin, _WORD, _fix_word)
    if s.isascii():
        s, origin = _substitute(s, origin, _PINYIN_RE, _pinyin_word)
        if s != text.lower():
            s, origin = _substitute(s, origin, _CJK_GAP, "")
    for pattern, repl in _CONTRACTION_RES:
        s, origin = _substitute(s, origin, pattern, repl)
    return Normalized(s, tuple(origin), text or "")


# Clause boundaries: punctuation in both scripts plus contrastive conjunctions, because a negation
# ("the network is fine, but the upload fails") only reaches as far as its own clause.
CLAUSE_BREAK = re.compile(r"[,.。!?;:\n()（）]|(?<![a-z])(?:but|however|although|though|except)(?![a-z])|但是|但|不过|可是|然而|只是|就是")


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [lo, hi) of the clause around a match."""
    lo = 0
    for m in CLAUSE_BREAK.finditer(text, 0, start):
        lo = m.end()
    m = CLAUSE_BREAK.search(text, end)
    hi = m.start() if m else len(text)
    return lo, hi


# "to avoid glare", "没开闪光灯", "怕反光": a precaution names what the customer kept away, not what went wrong.
_EN_NEG_BEFORE = re.compile(r"(?:^|\s)(?:not|no|never|without|nor|neither|hardly|nothing|avoid|avoiding|to prevent)(?:\s+\S+){0,2}\s*$")
_EN_NEG_AFTER = re.compile(
    r"^\s*(?:is|are|was|were|seems?|looks?|works?|is working|was working)?\s*(?:totally|perfectly|completely|really|very|all|absolutely)?\s*"
    r"(?:fine|ok|okay|good|great|stable|fast|perfect|ok too|not the (?:problem|issue)|no problem|not an issue|clear|sharp)\b"
)
_ZH_NEG_BEFORE = re.compile(r"(?:不是|并不|并非|并没有|没有|没|无|不|非|别|也不|毫无|没有开|没开|不开|关了|关掉|关闭|怕|以免|免得|避免|防止)\s*(?:什么|任何|啥|有)?$")
_ZH_NEG_AFTER = re.compile(r"^\s*(?:都|也|完全|一切)?\s*(?:没问题|没有问题|没毛病|很好|挺好|正常|很稳定|稳定|很快|很清楚|清楚|清晰|都好|没事|不是问题|ok|良好)")


_ZH_NEG_INSIDE = re.compile(r"(?:没有?|不|无)(?:错|问题)$")


def is_negated(text: str, start: int, end: int) -> bool:
    """True when the match is denied in its clause: "no glare", "网络没问题", "not a network issue", "地址没错"."""
    if _ZH_NEG_INSIDE.search(text, start, end):
        return True
    lo, hi = clause_bounds(text, start, end)
    before = text[lo:start]
    after = text[end:hi]
    if _ZH_NEG_BEFORE.search(before[-4:]) or _EN_NEG_BEFORE.search(before[-30:]):
        return True
    return bool(_ZH_NEG_AFTER.search(after[:8]) or _EN_NEG_AFTER.search(after[:40]))


# -- cause versus context -------------------------------------------------------------------------
# A phrase can name a cause without the customer having it: something tried or done already, a
# condition ("if it says pending"), a belief that turned out wrong ("I thought it was the network"),
# what someone else said, or a step that worked. These markers, in the clause before the phrase (and,
# for conditions, anywhere earlier in the same sentence), make the phrase context, not cause.
SENTENCE_BREAK = re.compile(r"(?<!\.)\.(?!\.)|[。!?！？\n]")
_HYPOTHETICAL = re.compile(
    r"(?<![a-z])(?:if|what if|in case|hypothetically|would i|would it|would my|suppose|supposing|whether)(?![a-z])"
    r"|如果|假如|假设|假使|万一|要是|若是|倘若|如果以后|以后如果|会不会因为|先问一下|提前了解|想先问"
    r"|如(?=[^,，。]{0,12}(?:无法|失败|不能|问题|遇到))")
_BELIEF = re.compile(
    r"(?<![a-z])(?:i thought|thought it was|i assumed|assumed it was|someone said|"
    r"at first|first time|the first time|on the first try|first attempt|"
    r"i did not have (?:any )?(?:issue|problem|trouble)s? with|no (?:issue|problem|trouble)s? with)(?![a-z])"
    r"|以为是|还以为|以为|一开始以为|有人说|第一次|上次|之前以为|开始以为")
_ATTEMPT = re.compile(
    r"(?<![a-z])(?:already|tried|have tried|i tried|cleared|clearing|switched|changed|used (?:another|a different)|"
    r"reinstalled|restarted|retried|followed|even|also tried|after trying)(?![a-z])"
    r"|已经|试过|试了|清过|清除过|清了|换过|换了|重装|重启|也试|尝试过|按照|照着")
# "网络4G和WiFi都试了", "cleared the cache too": the attempt said after the remedy.
_ATTEMPT_AFTER = re.compile(r"^[^,.。!?;\n]{0,12}?(?:都|也)(?:试了|试过|换了|换过|用过|清了|清过)"
                            r"|^\s*(?:too|as well|also)?\s*(?:already )?(?:tried|cleared|switched)")
_BECAUSE = re.compile(r"(?<![a-z])(?:only because|just because|because|due to the fact|but actually|actually it is)(?![a-z])"
                      r"|(?<!不)是因为|只是因为|其实是")  # "是不是因为…" asks, it does not explain
# A problem from an earlier attempt that the customer then redid: "之前照片模糊被退回，我重新拍了".
_EARLIER = re.compile(r"(?<![a-z])(?:previously|earlier|last time|the first time|before that)(?![a-z])"
                      r"|之前|以前|上次|上一次|第一次|一开始|起初")
_REDO = re.compile(r"重新(?:拍|上传|传|提交|交|做|认证|弄)|重拍|重传"
                   r"|(?<![a-z])(?:re-?uploaded|re-?submitted|retook|redid|redone|did it again|took (?:a )?new (?:photo|picture|one))(?![a-z])")
_RESOLVED_AFTER = re.compile(
    r"^[^,.。!?;\n]{0,30}?(?:(?<![a-z])(?:passed|went through|was accepted|were accepted|worked|works fine|"
    r"is fine|was fine|went smoothly|no issue|no problem|already accepted|accepted already|were both accepted)(?![a-z])"
    r"|已经?通过|过了|通过了|没问题|很顺利|顺利|正常|成功了|早就通过)")


def _asked(text: str, pos: int) -> bool:
    """Whether the sentence around `pos` is a question."""
    m = SENTENCE_BREAK.search(text, pos)
    return (m is not None and m.group() in "?？") or "吗" in text[pos:m.start() if m else len(text)]


def _redo_asked(text: str, redo: re.Match) -> bool:
    """Whether the redo is asked about ("还要重拍吗？"), not told as done ("我重新拍了，…还要等多久？")."""
    hi = clause_bounds(text, redo.start(), redo.end())[1]
    return (hi < len(text) and text[hi] in "?？") or "吗" in text[redo.end():hi]


def context_reason(text: str, start: int, end: int, *, remedy: bool = False) -> str:
    """Why a phrase match is context rather than the customer's problem ("" when it is the problem).

    `remedy` phrases (clearing the cache, another browser, other network) are fixes people try: in a
    clause that says they were tried, they describe an attempt.
    """
    lo, hi = clause_bounds(text, start, end)
    before = text[lo:start]
    sentence_lo = 0
    for m in SENTENCE_BREAK.finditer(text, 0, start):
        sentence_lo = m.end()
    if any(m.start() < start for m in _HYPOTHETICAL.finditer(text, sentence_lo)) \
            and not _HYPOTHETICAL.search(text, start, end):
        return "hypothetical"
    if _BELIEF.search(before):
        return "belief"
    if remedy and (_ATTEMPT.search(text, sentence_lo, start) or _ATTEMPT_AFTER.search(text[end:hi])):
        return "attempt"
    redo = _REDO.search(text, end)
    if _EARLIER.search(text, sentence_lo, start) and redo and not _redo_asked(text, redo):
        return "redone"  # "还要重拍吗？" asks whether to redo it: the earlier problem is not over
    if _RESOLVED_AFTER.search(text[end:hi]):
        return "resolved"
    sentence_hi = SENTENCE_BREAK.search(text, end)
    sentence_end = sentence_hi.start() if sentence_hi else len(text)
    because = _BECAUSE.search(text, end, min(end + 40, sentence_end))
    asked = sentence_hi is not None and (sentence_hi.group() in "?？" or "吗" in text[end:sentence_end])
    if because and not asked:
        return "effect"  # "it says pending because the face check failed": the cause is what follows
    return ""
