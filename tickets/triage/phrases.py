"""The phrase table: which words point to which cause, and how much one match alone is worth.

Patterns run on normalised text (simplified Chinese, lower case, contractions expanded, typos
fixed; see text.py). Chinese has no word boundaries, so Chinese phrases are plain substrings;
English phrases sit between \\b. A weight is the probability that the cause is right when this
phrase is the only signal: ~0.85-0.9 for an unambiguous phrase, ~0.55-0.65 for a hint, < 0.5 for
a word that should only ever suggest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .codes import (
    OTHER,
    ID_DOCUMENT as DOCUMENT_KIND,
    SELFIE as SELFIE_KIND,
    ACCOUNT_SECURITY_RISK as SEC,
    DEVICE_UNSUPPORTED as DEV,
    DOCUMENT_REQUIREMENTS as DOC,
    FACE_DOCUMENT_MISMATCH as MIS,
    FACE_RECOGNITION_FAILED as FACE,
    IDENTITY_INFO_ERROR as IDI,
    PAGE_LOAD_CACHE as PAGE,
    REVIEW_PENDING as REV,
    UPLOAD_NETWORK_FAILURE as NET,
)

STRONG = 0.88
CLEAR = 0.8
MEDIUM = 0.7
HINT = 0.6
WEAK = 0.45
# Broad wording sits just below its precise counterpart, so an overlapping precise phrase is the one quoted.
BROAD_STRONG = 0.86
BROAD_CLEAR = 0.78


@dataclass(frozen=True)
class Rule:
    """One phrase pattern; `unless` vetoes it when that context appears in the same clause."""

    name: str
    code: str
    pattern: re.Pattern
    weight: float
    unless: re.Pattern | None = None
    generic: bool = False  # a symptom several causes share ("upload failed"): explained away by a specific cause
    remedy: bool = False  # a fix people try (clear the cache, another browser): an attempt, not a symptom
    unless_sentence: re.Pattern | None = None  # like `unless`, over the whole sentence
    # Waiting or asking how long says that the customer waits, not why: evidence for review_pending only
    # while no other cause is sure; beside one it is how long that problem has lasted.
    follow_up: bool = False
    unless_after: re.Pattern | None = None  # vetoed when this appears anywhere after the match in the same text
    # A symptom word this cause shares with its neighbours (light, glasses, "liveness" for the face check; an old
    # phone for a photo): beside a sure neighbour that explains it, it is that neighbour's detail.
    shared_with: frozenset[str] = frozenset()


def _re(p: str) -> re.Pattern:
    return re.compile(p)


def _en(p: str) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])(?:" + p + r")(?![a-z])")


# Filler inside one clause.
C = r"[^,.。!?;:\n]"
ZH_FAIL = r"(?:失败|不过|不通过|通不过|过不了|没通过|未通过|没过|不成功|被拒|驳回|出错|报错|不行|有问题|(?<!的)问题|一直失败|不了)"
NUM_ZH = r"(?:[0-9]+|[一二三四五六七八九十两几]+|好几|十几|一个多?|半)"
NUM_EN = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|[0-9]+|several|few|many|a couple of)"
FACE_CTX = _re(r"自拍|人脸|脸|面部|活体|刷脸|眼镜|眼睛|口罩|帽子|头巾|刘海|遮挡物|摘下|摘掉|selfie|face|liveness"
               r"|(?<![a-z])(?:glasses|sunglasses|eyes|face ?mask|hat)(?![a-z])")
# Money moving (a wrong wallet address is not a wrong identity detail).
MONEY_CTX = _re(r"提币|提现|钱包|转账|充值|币|withdraw|wallet|funds|deposit|transfer|sent|coins?|usdt|btc|eth")
# The selfie or face video is what failed to upload: "自拍那张一直上传失败", "the selfie fails to send with network
# error". A face word in the clause of an upload failure is that upload's object, not a face check that failed.
_SENT_FAILED = (r"(?:上传|上載|发送|传)[^,.。!?;:\n]{0,4}(?:失败|不了|不上|超时|中断|不成功|卡住)"
                r"|(?<![a-z])(?:upload\w*|send\w*|sent)\s+(?:\w+\s+){0,2}(?:fail\w*|error|timed? ?out|interrupted)"
                r"|fail\w* to (?:upload|send)|(?:upload|network|connection) (?:error|failed|timeout|interrupted)")
# A reflection in the sentence of the customer's glasses is on the glasses, not on the document.
EYEWEAR = _re(r"眼镜|镜片|(?<![a-z])(?:glasses|spectacles|lenses)(?![a-z])")
FACE_CAM_CTX = _re(r"自拍|人脸|脸|面部|活体|刷脸|摄像头|selfie|face|liveness|camera|webcam")
# A liveness step that "times out" is the face check giving up, not the network.
FACE_STEP = _re(r"摇头|眨眼|眨|转动|转得|转的|头部|转头|张嘴|人脸|活体|刷脸|脸部|turn (?:my|your) head|blink|liveness|face|selfie|move closer|smile")
DOC_CTX = _re(r"证件|身份证|护照|驾照|驾驶证|passport|\bid\b|id card|document|license|licence|scan")
MATCH_CTX = _re(r"比对|对比|不匹配|不一致|不符|不像|不是同一|不是本人|人证|match|compar|same person|look like")
# A face failure in the clause of a comparison, or of an upload that failed, is that problem's, not the check's.
FACE_CHECK_NOT_OWN = _re(MATCH_CTX.pattern + "|" + _SENT_FAILED)
UPLOAD_CTX = _re(r"上传|传|upload")
CAMERA_CTX = _re(r"摄像头|camera|webcam")
FORMAT_CTX = _re(r"格式|文件|证件|类型|字符|file|format|pdf|heic")
NON_ID_CTX = _re(r"验证码|密码|链接|会话|code|link|session|otp|password|token")
BROWSER_UNSUPPORTED_CTX = _re(r"不支持|不兼容|not available|does not support|webrtc|版本|太旧|not supported|unsupported|outdated|too old|internet explorer")

MONEY_TOPIC = _re(r"提币|提现|充值|到账|转账|出金|入金|汇款|(?<![a-z])(?:withdraw\w*|deposit\w*|transfer\w*|payout|refund)(?![a-z])")

# A verdict after the review words ends the review: "four days in review and then rejected", "等审核结果，
# 结果被拒了". The waiting is history; what the verdict says is the problem.
REVIEW_ENDED = _re(r"被拒|拒绝了|驳回|退回|(?<!还)(?<!尚)(?:没有?|未)通过|不通过|审核失败|结果(?:出来了|是|就是|说|显示)"
                   r"|(?<![a-z])(?:rejected|declined|denied|refused|the answer (?:is|was)|came back"
                   r")(?![a-z])")
# "手机角度太低" is how the phone was held, not an old phone; "系统说格式不支持" is the file the app refuses.
NOT_DEVICE_CTX = _re(r"角度|亮度|音量|声音|分辨率|像素|电量|格式|文件类型|(?<![a-z])(?:pdf|heic|jpe?g|png)(?![a-z])")

# Who explains a shared symptom: the face check's light, glasses and "liveness" words belong to a sure mismatch
# (the check ran and compared); an old phone to the document photo or selfie it took. (Measured: a device that
# cannot run the check, or a document photo, often comes with a real face problem too, so they explain nothing.)
FACE_NEIGHBOURS = frozenset({MIS})
DEVICE_NEIGHBOURS = frozenset({DOC, FACE})
# Blurry, unclear: beside a sure face-check failure, the selfie's blur.
BLUR_NEIGHBOURS = frozenset({FACE})
# "Which format do you want?" beside a sure identity-detail problem asks about the field, not the file.
FORMAT_NEIGHBOURS = frozenset({IDI})
# The browser a customer names is where a sure device or browser problem happens, not a page problem of its own.
BROWSER_NEIGHBOURS = frozenset({DEV})

# What a cause is about: a symptom word it shares with a neighbour ("太暗", "手抖", "glasses") is its evidence only
# in a ticket that names its object somewhere (a selfie, a face, the liveness step) or attaches one. Without the
# object, beside another sure cause, the word is that cause's detail ("ID photo too dark").
CAUSE_OBJECTS: dict[str, tuple[re.Pattern, frozenset[str]]] = {
    FACE: (_re(r"自拍|人脸|脸|面部|活体|刷脸|人像|眨眼|摇头|点头|转头|张嘴|视频|录像|镜头前"
               r"|(?<![a-z])(?:selfie|selfies|face|faces|facial|liveness|live photo|blink\w*|video|turn (?:my|your) head)(?![a-z])"),
           frozenset({SELFIE_KIND})),
}

# The customer's own words say an attached photo was turned down or is poor: "the passport picture was refused",
# "身份證相俾人退咗，話太暗". Without such words, beside another sure cause, what analysis finds in the photo is
# not what the customer writes about (rules._defects_beside_words).
_TURNED_DOWN_ZH = r"(?:退|拒|驳回|不合格|不符合|不通过|没通过|没过|不过|失败|不行|不接受|不清|模糊|糊|太暗|太黑|反光|看不清|看不到|不完整|不全|过期|太大|格式)"
_TURNED_DOWN_EN = (r"(?:reject\w*|refus\w*|declin\w*|not accept\w*|fail\w*|bounced|returned|denied|invalid|not (?:clear|readable|visible|valid)"
                   r"|blurr?y|blurred|glare|shiny|reflection|too dark|dark|cut|cropped|expired|too (?:big|large)|unreadable|rejection)")
ATTACHMENT_TURNED_DOWN: dict[str, re.Pattern] = {
    DOCUMENT_KIND: _re(r"(?:证件|身份证|护照|驾照|驾驶证|居留证|通行证|证件照|扫描件)" + C + r"{0,12}" + _TURNED_DOWN_ZH
                       + r"|(?<![a-z])(?:id|passport|licen[cs]e|document|card|scan)s?(?![a-z])" + C + r"{0,40}(?<![a-z])" + _TURNED_DOWN_EN
                       + r"|(?<![a-z])" + _TURNED_DOWN_EN + r"(?![a-z])" + C + r"{0,30}(?<![a-z])(?:id|passport|licen[cs]e|document|scan)(?![a-z])"),
    SELFIE_KIND: _re(r"(?:自拍|人脸|脸|面部|活体|刷脸|人像)" + C + r"{0,12}" + _TURNED_DOWN_ZH
                     + r"|(?<![a-z])(?:selfie|face|liveness|facial)s?(?![a-z])" + C + r"{0,40}(?<![a-z])" + _TURNED_DOWN_EN),
}

RULES: tuple[Rule, ...] = (
    # --- identity_info_error -------------------------------------------------------------------
    Rule("zh.name_wrong", IDI, _re(r"(?:姓名|名字|拼音|姓氏|中文名|英文名|名)" + C + r"{0,6}(?:错|不对|不一致|不符|不匹配|有误)"), CLEAR, FACE_CTX),
    Rule("zh.typed_as", IDI, _re(r"(?:输|打|填|写)成了?"), MEDIUM, _re(r"照片|自拍|人脸|文件|格式|pdf")),
    Rule("zh.info_vs_doc", IDI, _re(r"(?<!我)(?<!本人)(?:跟|和|与)(?:证件|身份证|护照)(?:上的)?(?:信息|资料)?" + C + r"{0,2}(?:不符|不一致|对不上)"), MEDIUM, _re(r"照片|自拍|人脸|脸|本人|像")),
    Rule("zh.spelling", IDI, _re(r"拼写错|拼错|打错了?(?:一个)?(?:字|字母)|写成了"), CLEAR),
    Rule("zh.dob_wrong", IDI, _re(r"(?:出生日期|生日|出生年月|出生年份)" + C + r"{0,8}(?:错|不对|不一致|不符|不匹配|有误)"), CLEAR),
    Rule("zh.idnum_wrong", IDI, _re(r"(?:证件号|身份证号|护照号|证件号码|号码)" + C + r"{0,8}(?:错|不对|不一致|不符|不匹配|有误|格式|无效|不正确|少|多)"), CLEAR),
    Rule("zh.typed_wrong", IDI, _re(r"(?:填|写|输|打|选)错|(?:少|多|漏)(?:填|输|写|打)了?|填反|写反"), MEDIUM, MONEY_CTX),
    Rule("zh.address", IDI, _re(r"地址" + C + r"{0,8}(?:格式|错|不对|无效|不符|不正确)"), CLEAR, _re(r"提币|钱包|充值|转账")),
    Rule("zh.info_mismatch", IDI, _re(r"(?:个人)?(?:信息|资料)" + C + r"{0,8}(?:不一致|不符|不匹配|有误|错误|填错|不正确)"), MEDIUM, FACE_CTX),
    Rule("zh.fix_info", IDI, _re(r"(?:修改|更改|更正|改)(?:一下)?(?:我的)?(?:姓名|名字|生日|出生日期|个人信息|资料|地址|证件号|身份证号)"), MEDIUM),
    Rule("zh.name_parts", IDI, _re(r"中间名|姓和名|名和姓|姓名顺序"), MEDIUM),
    Rule("en.typo", IDI, _en(r"typo|misspel\w*|spelled (?:\w+ )?wrong\w*|spelling (?:mistake|error)|wrong spelling"), CLEAR),
    Rule("en.field_wrong", IDI, _en(r"(?:wrong|incorrect|mistake in|error in)\s+(?:my\s+|the\s+)?(?:date of birth|birth ?date|birthday|dob|name|last name|first name|surname|address|id number|passport number|document number|year of birth|nationality|year)"), CLEAR, MONEY_CTX),
    Rule("en.field_mismatch", IDI, _en(r"(?:name|date of birth|birthday|dob|address|id number|document number|passport number|personal details|details)s?\s+(?:\w+\s+){0,2}(?:does not|do not|did not)\s+match"), CLEAR),
    Rule("en.entered_wrong", IDI, _en(r"(?:entered|typed|picked|selected|put|wrote|filled in|chose)\s+(?:\w+\s+){0,6}(?:wrong|incorrect(?:ly)?|by mistake|instead of)|swapped (?:two )?(?:digits|numbers|letters)"), MEDIUM, MONEY_CTX),
    Rule("en.digits", IDI, _en(r"digits\s+(?:\w+\s+){0,4}(?:are |were )?swapped|(?:typed|entered|written|put) as\s+" + C + r"{1,25}should (?:be|have been)|birth year"), CLEAR, MONEY_CTX),
    Rule("en.number_invalid", IDI, _en(r"(?:id|passport|document|identity|tax|national id|personal) (?:card )?number\s+(?:\w+\s+){0,2}(?:invalid|incorrect|wrong|not valid)|(?:missed|missing|forgot|extra) (?:a |one )?digit|(?:wrong|reverse|opposite) order"), CLEAR),
    Rule("en.address_invalid", IDI, _en(r"(?:address|postal code|zip code|postcode)\s+(?:format|" + r"(?:\w+\s+){0,2}(?:is\s+)?invalid)"), CLEAR),
    Rule("en.fix_details", IDI, _en(r"(?:correct|change|fix|update|edit|amend)\s+(?:my\s+|the\s+)?(?:name|last name|surname|date of birth|birthday|dob|personal (?:info|information|details)|details|address)"), MEDIUM),
    Rule("en.info_mismatch", IDI, _en(r"information (?:you entered |i entered )?(?:does not|do not) match|(?:info|information|details|data|name|surname) mismatch"), CLEAR),
    Rule("en.field_is_wrong", IDI, _en(r"(?:my |the )?(?:name|surname|last name|first name|date of birth|dob|birthday|address|postcode|id number)\s+(?:is|was)\s+(?:wrong|incorrect|misspelled|different from)|one letter off"), CLEAR, _re(r"withdraw|wallet|funds|deposit")),
    Rule("en.invalid_chars", IDI, _en(r"invalid (?:characters?|symbols?)|(?:will not|does not|cannot) (?:take|accept) my (?:address|name|surname)"), CLEAR, MONEY_CTX),
    Rule("zh.invalid_chars", IDI, _re(r"(?:姓名|名字|地址|拼音)" + C + r"{0,8}(?:不支持的?字符|非法字符|特殊字符|无效字符)"), CLEAR),
    Rule("en.stale_details", IDI, _en(r"(?:put|entered|typed|used|gave|filled in)\s+(?:in\s+)?(?:my\s+|an?\s+|the\s+)?(?:old|previous|former|maiden)\s+(?:address|zip code|postcode|postal code|name|surname|last name|passport number)"), MEDIUM, MONEY_CTX),
    Rule("en.name_parts", IDI, _en(r"middle name|(?:typed|entered|wrote|put) (?:it|them|my name) (?:the )?other way (?:round|around)|first and last name|given name|maiden name"), MEDIUM),
    # --- document_requirements -----------------------------------------------------------------
    Rule("zh.glare", DOC, _re(r"反光|反射|光斑|闪光灯|亮光|亮斑|白光|亮点"), CLEAR, FACE_CTX, unless_sentence=EYEWEAR),
    Rule("zh.blur", DOC, _re(r"模糊|不清晰|不清楚|看不清|糊了|不够清楚|不够清晰|不太清楚"), MEDIUM, FACE_CTX, unless_sentence=_re(r"网页|页面|界面|乱码|按钮"), shared_with=BLUR_NEIGHBOURS),
    Rule("zh.covered", DOC, _re(r"挡住|遮挡|遮住|挡了"), MEDIUM, FACE_CTX),
    Rule("zh.original", DOC, _re(r"(?:截图|截屏|翻拍|复印)" + C + r"{0,6}(?:不接受|不行|不可以|被拒)|(?:拍|用|上传)原件|彩色(?:照片|图片|扫描|原件)|黑白(?:照片|图片|复印|扫描)"), MEDIUM, FACE_CAM_CTX),
    Rule("zh.cropped", DOC, _re(r"(?:边角|边缘|四角|边框|四个角)" + C + r"{0,6}(?:不完整|没拍|缺|截|切|裁|不全)|没拍全|拍不全|被裁|裁剪|截掉|切掉|不完整"), CLEAR),
    Rule("zh.expired", DOC, _re(r"过期|失效|有效期|到期"), CLEAR, NON_ID_CTX,
         unless_sentence=_re(r"还有" + C + r"{0,6}(?:才|就)?(?:到期|过期)|才到期|(?:未|没|没有|还没|不会)过期|有效期内|还在有效期")),
    Rule("zh.too_large", DOC, _re(r"(?<!差异)(?<!差别)(?<!区别)太大|过大|超过\s*[0-9]+\s*m|超出大小|大小超|文件大小"), CLEAR),
    Rule("zh.format", DOC, _re(r"格式" + C + r"{0,4}(?:不支持|不对|不符|错误|不正确)|不支持" + C + r"{0,6}格式"), CLEAR, _re(r"地址|日期|姓名|填|号码|证件号"), unless_sentence=_re(r"地址|日期|姓名|生日|号码|证件号")),
    Rule("zh.doc_type", DOC, _re(r"(?:不支持|不接受|不认可)的?(?:证件|文件)类型|证件类型" + C + r"{0,4}(?:不支持|不接受|不符|不对|错误)"), CLEAR),
    Rule("zh.which_format", DOC, _re(r"哪些格式|什么格式|支持的格式"), HINT, _re(r"地址|日期|姓名|填"), shared_with=FORMAT_NEIGHBOURS),
    Rule("zh.resolution", DOC, _re(r"(?:分辨率|像素)" + C + r"{0,6}(?:低|不够|太小)|尺寸|太小"), MEDIUM, FACE_CTX),
    Rule("zh.doc_rejected", DOC, _re(r"(?:证件|护照|身份证|驾照|驾驶证|证件照|扫描件)" + C + r"{0,10}(?:不合格|不合规|不符合要求|被拒|驳回|不被接受|不接受|重新上传|不过|不通过|没通过)"), HINT, _re(r"人脸|自拍|比对|匹配|一致|号码|号"), generic=True),
    Rule("zh.doc_requirements", DOC, _re(r"材料不符合要求|不符合要求|不合格|不合规|请上传清晰|重新拍摄证件"), HINT, FACE_CTX),
    Rule("en.glare", DOC, _en(r"glare|reflections?|reflective|shiny (?:spot|patch|area)|flash (?:spot|reflection)|light spot|bright (?:white )?(?:spot|patch|area|mark)|white (?:spot|patch)"), CLEAR, FACE_CTX, unless_sentence=EYEWEAR),
    Rule("en.non_compliant", DOC, _en(r"(?:non-?compliant|not compliant|does not meet (?:the |your )?(?:requirements?|standards?))"), MEDIUM, FACE_CAM_CTX),
    Rule("en.colour_original", DOC, _en(r"colou?r (?:image|photo|picture|copy)|black and white|(?:original|physical) (?:document|id|card|passport)|screenshots? (?:\w+\s+){0,3}(?:not accepted|rejected)"), MEDIUM, FACE_CAM_CTX),
    Rule("en.laminated", DOC, _en(r"laminat\w+|plastic cover"), HINT),
    Rule("en.blur", DOC, _en(r"blurr?y|blurred|blur|out of focus|not sharp|fuzzy|unclear|not clear|not legible|illegible|hard to read|cannot be read"), MEDIUM, FACE_CAM_CTX, shared_with=BLUR_NEIGHBOURS),
    Rule("en.cropped", DOC, _en(r"cut off|cropped|(?:edges?|corners?|borders?)\s+(?:are\s+|is\s+)?(?:cut|missing|not visible|outside)|not fully visible|partially visible|whole document"), CLEAR),
    Rule("en.covered", DOC, _en(r"covered|obstructed|blocked by|my (?:thumb|finger)"), HINT, FACE_CAM_CTX),
    Rule("en.expired_doc", DOC, _en(r"(?:passport|id|id card|document|license|driving license|driver'?s license|residence permit)\s+(?:\w+\s+){0,2}(?:has\s+|is\s+|was\s+)?(?:already\s+)?expired|expired\s+(?:passport|id|document|license)|document expired|expir(?:y|ation) date|no longer valid"), STRONG),
    Rule("en.expired", DOC, _en(r"expired|expires|expiry"), HINT, NON_ID_CTX),
    Rule("en.too_large", DOC, _en(r"too (?:large|big|heavy)|file size|exceeds?\s+(?:the\s+)?(?:size|limit|maximum|max)"), CLEAR),
    # A size alone is a problem only when it is not said to be small ("照片才 2MB 不大", "only 1.5MB").
    Rule("en.size_number", DOC, _en(r"[0-9]+(?:\.[0-9]+)?\s?mb"), CLEAR, _re(r"才|只有|只|仅|不大|不算大|很小|(?<![a-z])(?:only|just|under|less than|below|not (?:big|large|that big))(?![a-z])")),
    Rule("en.format", DOC, _en(r"unsupported (?:file|format|file type|image)|(?:file type|file format|format|file)\s+(?:is\s+)?not (?:supported|accepted|allowed)|wrong (?:file )?(?:format|type)|heic|pdf (?:is )?not accepted"), CLEAR),
    Rule("en.which_format", DOC, _en(r"which (?:file )?formats?|what (?:file )?formats?"), HINT, shared_with=FORMAT_NEIGHBOURS),
    Rule("en.resolution", DOC, _en(r"(?:image |photo |file |document )?size (?:is )?(?:wrong|incorrect|not right)|wrong size|resolution|too small|low quality|poor quality|image quality|quality (?:is )?too low"), MEDIUM, FACE_CTX),
    Rule("en.doc_rejected", DOC, _en(r"(?:passport|id card|id|document|license|scan)\s+(?:\w+\s+){0,3}(?:rejected|not accepted|not acceptable|declined|refused|is not valid|invalid|unacceptable)"), HINT, _re(r"name|address|birth|number|selfie|face|match"), generic=True),
    Rule("en.doc_side", DOC, _en(r"(?:back|front) (?:side )?of (?:my |the )?(?:id|card|id card|licen[cs]e)\s+(?:\w+\s+){0,3}(?:missing|unreadable|blurr?y|not (?:clear|readable|accepted))|unreadable"), CLEAR, FACE_CAM_CTX),
    Rule("en.invalid_doc", DOC, _en(r"rejected as (?:an? )?(?:invalid|unacceptable|unsupported) (?:document|id)|invalid document|document type (?:is )?not (?:accepted|supported)|(?:id|document) type (?:is )?not (?:accepted|supported)|not an accepted document|not supported in your (?:region|country)"), CLEAR),
    Rule("en.upload_clear", DOC, _en(r"upload a (?:clear|valid|clearer|new) (?:photo|image|picture|document|copy)|retake (?:the )?(?:photo|picture) of (?:your|my) (?:document|id|passport)"), MEDIUM),
    # --- face_recognition_failed --------------------------------------------------------------
    Rule("zh.face_fail", FACE, _re(r"(?:人脸|面部|脸部|刷脸|人像)(?:识别|验证|认证|检测|扫描|核验)?" + C + r"{0,10}" + ZH_FAIL), STRONG, FACE_CHECK_NOT_OWN, unless_sentence=MATCH_CTX),
    Rule("zh.liveness_fail", FACE, _re(r"活体(?:检测|认证|识别|验证)?" + C + r"{0,6}" + ZH_FAIL), STRONG),
    Rule("zh.liveness", FACE, _re(r"活体"), HINT, shared_with=FACE_NEIGHBOURS),
    Rule("zh.selfie_fail", FACE, _re(r"自拍(?:照)?" + C + r"{0,10}" + ZH_FAIL), CLEAR, FACE_CHECK_NOT_OWN, unless_sentence=MATCH_CTX),
    Rule("zh.no_face", FACE, _re(r"(?:检测不到|识别不到|没检测到|未检测到|找不到|没有识别到|识别不出|(?:无法|不能)(?:检测|识别)到?)(?:我的?)?(?:人脸|脸|面部)"
                                 r"|未检测到(?:真人|活体)|不是(?:真人|活人)|非真人"), STRONG),
    Rule("zh.light", FACE, _re(r"光线" + C + r"{0,3}(?:不足|太暗|太差|不好|暗|不够)|太暗|很暗|昏暗|逆光|背光|灯不太亮|不够亮|光线|比较暗"), MEDIUM, DOC_CTX, shared_with=FACE_NEIGHBOURS),
    Rule("zh.liveness_prompt", FACE, _re(r"保持不动|拿不稳|手(?:一直)?抖|眨眼|张嘴|摇头|点头|转头|靠近一点|正对|框内|框里|把脸放|保持面部|面部在框|人脸框|脸框"), HINT, shared_with=FACE_NEIGHBOURS),
    Rule("zh.backlight", FACE, _re(r"背后是窗|窗户在(?:我)?(?:后面|背后)|背对(?:着)?窗"), MEDIUM),
    Rule("zh.accessory", FACE, _re(r"(?:戴|带)(?:着|了)?(?:眼镜|口罩|帽子)"), HINT, MATCH_CTX, unless_sentence=MATCH_CTX, shared_with=FACE_NEIGHBOURS),
    Rule("zh.face_blur", FACE, _re(r"(?:自拍|人脸|脸|面部)" + C + r"{0,6}(?:模糊|不清|糊)"), CLEAR),
    Rule("zh.multi_face", FACE, _re(r"多(?:张|个)人脸|多人(?:入镜|同框)|(?:其他人|别人|旁边有人)(?:入镜|在镜头)|多个人"), CLEAR),
    Rule("zh.face_cover", FACE, _re(r"(?:摘下|摘掉|取下|移除|去掉|除下|除掉)" + C + r"{0,6}(?:眼镜|口罩|帽子|遮挡物|头巾)|(?:勿|不要)?遮挡(?:面部|脸)|面部(?:有)?遮挡"), CLEAR),
    Rule("en.face_fail", FACE, _en(r"(?:face|facial)\s+(?:verification|recognition|scan|check|capture|detection|step|id|authentication|test)?\s*" + C + r"{0,15}(?:fail\w*|not working|rejected|does not work|will not (?:work|pass)|keeps failing|error)"), STRONG, FACE_CHECK_NOT_OWN, unless_sentence=MATCH_CTX),
    Rule("en.cannot_pass_face", FACE, _en(r"(?:cannot|unable to|could not|can never|not able to)\s+(?:pass|get through|complete|finish|do)\s+(?:the\s+)?(?:face|selfie|liveness|facial)"), STRONG, MATCH_CTX, unless_sentence=MATCH_CTX),
    Rule("en.liveness_fail", FACE, _en(r"liveness\s*(?:check|test|detection|step)?\s*" + C + r"{0,15}(?:fail\w*|rejected|error|not working)"), STRONG),
    Rule("en.liveness", FACE, _en(r"liveness"), MEDIUM, shared_with=FACE_NEIGHBOURS),
    Rule("en.selfie_fail", FACE, _en(r"selfie\s+" + C + r"{0,25}(?:fail\w*|rejected|not accepted|declined|error)"), CLEAR, FACE_CHECK_NOT_OWN, unless_sentence=MATCH_CTX),
    Rule("en.no_face", FACE, _en(r"no face (?:was )?(?:detected|found)|face (?:was |is )?not (?:detected|found|recogni[sz]ed)|(?:cannot|could not|unable to|does not) (?:detect|find|see|recogni[sz]e) (?:my |a |the )?face"), STRONG),
    Rule("en.light", FACE, _en(r"too dark|poor(?:ly)? light\w*|bad light\w*|low light|dim(?:ly)? (?:light\w*|room)|backlit|backlight\w*|lighting|well[- ]lit|brighter place|not (?:very |that )?bright|dark room|(?:face|i|it) (?:was |is )?too dark"), MEDIUM, DOC_CTX, shared_with=FACE_NEIGHBOURS),
    Rule("en.conditions", FACE, _en(r"(?:try again )?in better (?:conditions|light\w*)"), CLEAR),
    Rule("en.backlight", FACE, _en(r"(?:window|sun|sunlight|light) (?:is )?behind me|back to the window|backlight from"), MEDIUM),
    Rule("en.face_not_verified", FACE, _en(r"(?:could not|cannot|unable to|failed to|did not|does not) (?:verify|recogni[sz]e|capture|scan|read|confirm) (?:my |your |the )?face|(?:could not|cannot|unable to|failed to) confirm (?:that )?(?:you are|you're|i am|i'm) a (?:real|live) person|live (?:photo|picture|selfie|video)s?\s+(?:\w+\s+){0,4}(?:never|not|fail\w*|rejected)|(?:asks?|asking|asked|keeps asking) me to (?:take|retake|redo|do) (?:the |my |a )?(?:live photo|selfie|live picture|face scan)\s+(?:again|over)"), CLEAR, MATCH_CTX, unless_sentence=MATCH_CTX),
    Rule("en.face_cover", FACE, _en(r"(?:remove|take off) (?:your |any |my )?(?:glasses|hat|cap|mask|sunglasses|face coverings?|headscarf)"), CLEAR),
    Rule("en.face_obstructed", FACE, _en(r"face (?:is )?(?:obstructed|covered|blocked)"), STRONG),
    Rule("en.liveness_ring", FACE, _en(r"(?:circle|oval|ring)\s+(?:\w+\s+){0,2}(?:never|does not|will not|did not) (?:fill\w*|complete\w*|turn\w* green)"), CLEAR),
    Rule("en.liveness_prompt", FACE, _en(r"blink\w*|(?:turn|move) (?:your|my) head|move closer|hold still|look (?:straight|at the camera)|head[- ]?movement|(?:inside|in) the (?:oval|circle|frame)"), HINT, shared_with=FACE_NEIGHBOURS),
    Rule("en.accessory", FACE, _en(r"glasses|(?:a |my )?hat|face ?mask|sunglasses"), WEAK, MATCH_CTX, unless_sentence=MATCH_CTX, shared_with=FACE_NEIGHBOURS),
    Rule("en.face_blur", FACE, _en(r"(?:selfie|face)\s+" + C + r"{0,20}(?:blurr?y|blurred|out of focus)"), CLEAR),
    Rule("en.multi_face", FACE, _en(r"multiple faces|more than one (?:face|person)|two faces|someone else in|jumped into"), CLEAR),
    # --- face_document_mismatch -----------------------------------------------------------------
    Rule("zh.mismatch", MIS, _re(r"(?:人脸|面部|自拍|照片|本人|脸|我)" + C + r"{0,4}(?:与|和|跟|同)" + C + r"{0,10}(?:证件|身份证|护照|驾照|证件照)" + C + r"{0,8}(?:不匹配|不一致|不符|不像|对不上|对不起来|不一样|不是同一)"), STRONG),
    Rule("zh.renzheng", MIS, _re(r"人证" + C + r"{0,4}(?:不一致|不匹配|不符|失败|不通过|不过|比对)"), STRONG),
    Rule("zh.compare_fail", MIS, _re(r"(?:比对|对比)" + C + r"{0,6}(?:失败|不通过|不一致|不过|没通过|不上)|比对不|差异(?:太大|很大|过大)|(?:对比|比对)了" + C + r"{0,8}(?:自拍|人脸|照片)"), CLEAR),
    Rule("zh.not_same_person", MIS, _re(r"不是同一(?:个)?人|不是本人|非本人"), MEDIUM, _re(r"登录|操作|交易")),
    Rule("zh.old_photo", MIS, _re(r"(?:证件照|身份证|护照|照片)" + C + r"{0,8}" + NUM_ZH + r"\s*(?:年前|岁)|" + NUM_ZH + r"年前(?:办|拍)|变化(?:很大|大)|剪了头发|发型变|胖了|瘦了|比较瘦|整容"), HINT),
    Rule("en.comparison", MIS, _en(r"(?:photo|face|picture|selfie|image) comparison|comparison\s+(?:\w+\s+){0,8}failed|(?:differs?|different) from (?:the |my )?(?:document|id|passport|id photo|licen[cs]e)"), STRONG),
    Rule("en.not_match", MIS, _re(r"(?:selfie|face|自拍|人脸)" + C + r"{0,30}not match"), STRONG),
    Rule("en.mismatch", MIS, _en(r"(?:selfie|face|faces)\s+(?:\w+\s+){0,3}(?:does not|do not|did not)\s+match|does not match\s+(?:the\s+|my\s+)?(?:photo|picture|face|selfie)|mismatch between (?:my )?(?:selfie|face)|(?:selfie|face) mismatch|face ?match\w*\s+(?:fail\w*|error)|face comparison"), STRONG),
    Rule("en.not_holder", MIS, _en(r"could not be matched (?:to|with)|(?:could not|cannot|unable to) confirm (?:that )?(?:the |your |my )?selfie belongs"
                                   r"|belongs? to the (?:document|id|passport) (?:holder|owner)|(?:does not|do not|did not) (?:appear|seem) to be the (?:same )?person|(?:identity|biometric|face|photo) match\w*\s+(?:\w+\s+)?(?:fail\w*|unsuccessful|error)|face[_ -]?mismatch|(?:is|as|be) a different person|(?:does not|do not|did not) (?:appear|seem) to be (?:the )?(?:holder|owner|same person)|not (?:the )?(?:holder|owner) of (?:the |this |my )?(?:id|document|passport|card|licen[cs]e)"), CLEAR),
    Rule("en.not_same", MIS, _en(r"not the same person|does not look like (?:me|the photo)|(?:definitely|really|obviously|clearly) me|it is me|(?:it|that|this) is not me"), HINT),
    Rule("en.look_different", MIS, _en(r"look\w* (?:very |quite |so |a lot |totally )?different (?:from|than|to) (?:my |the |on my )?(?:id|passport|document|photo|picture)"), MEDIUM),
    Rule("en.old_photo", MIS, _en(r"(?:photo|picture)\s+(?:\w+\s+){0,3}is\s+" + NUM_EN + r"\s+years? old|" + NUM_EN + r" years (?:old|ago)|(?:lost|gained) (?:a lot of )?weight|(?:grew|have|has) a beard|haircut|new hairstyle|look different"), HINT),
    # --- account_security_risk ------------------------------------------------------------------
    Rule("zh.account_locked", SEC, _re(r"(?:账户|账号|户口)" + C + r"{0,4}(?:被)?(?:冻结|锁定|锁了|被锁|限制|封|停用|禁用|暂停)"), STRONG),
    Rule("zh.frozen", SEC, _re(r"冻结|封号|锁定"), HINT, _re(r"页面|屏幕|画面")),
    Rule("zh.login_anomaly", SEC, _re(r"登录(?:异常|提醒)|异常登录|异地登录|陌生" + C + r"{0,4}登录|不是我(?:本人)?登录|新设备登录"), STRONG),
    Rule("zh.stolen", SEC, _re(r"被盗|盗号|被黑|被入侵|盗用|被人登录|资金被转走|不是我操作"), STRONG),
    Rule("zh.risk", SEC, _re(r"风险|风控|可疑(?:操作|活动|登录|交易)?|异常(?:活动|操作|交易)"), CLEAR),
    Rule("zh.account_safety", SEC, _re(r"为了(?:您的)?(?:账户|账号)安全|账户安全(?:原因|问题|检查)"), CLEAR),
    Rule("zh.kyc_paused", SEC, _re(r"认证" + C + r"{0,2}(?:已|被)?暂停|暂停(?:了)?(?:身份)?(?:认证|验证|kyc)|安全验证中|账户安全验证"), MEDIUM),
    Rule("zh.password", SEC, _re(r"(?:改|修改|重置)了?(?:登录)?密码|(?:谷歌|google)验证|二次验证|2fa"), WEAK),
    Rule("en.account_locked", SEC, _en(r"account\s+(?:\w+\s+){0,2}(?:frozen|locked|restricted|suspended|disabled|blocked|on hold|banned|closed|limited)"), STRONG),
    Rule("en.suspicious", SEC, _en(r"(?:suspicious|unusual|strange|unknown|unrecogni[sz]ed)\s+(?:login|log-in|sign-in|sign in|activity|device|access|ip|transaction|withdrawal)s?"), STRONG),
    Rule("en.login_from", SEC, _en(r"(?:sign-in|sign in|login|log in|logged in|logins?)\s+(?:attempts?\s+)?from\s+(?:another|a different|an unknown|unknown|a new|[a-z]+)"), MEDIUM),
    Rule("en.hacked", SEC, _en(r"hacked|compromised|stolen|takeover|unauthori[sz]ed|someone (?:else )?(?:logged|accessed|hacked|changed|got into)|did not make"), STRONG),
    Rule("en.flagged", SEC, _en(r"(?:account|i) (?:was |got |has been )?flagged|flagged (?:for|because)|odd (?:login|log-in|sign-in)|unfrozen"), CLEAR),
    Rule("en.security", SEC, _en(r"security (?:risk|check|reasons?|review|hold|alert|issue)|risk (?:assessment|control|check)|compliance (?:hold|review|check|lock)|(?:under|account) protection|protective (?:hold|measure)"), CLEAR),
    Rule("en.kyc_paused", SEC, _en(r"(?:verification|kyc)\s+(?:is\s+|was\s+|has been\s+)?(?:suspended|on hold|paused|blocked)|(?:suspended|paused) (?:my )?(?:verification|kyc)"), MEDIUM),
    Rule("en.password", SEC, _en(r"reset (?:my )?password|changed (?:my )?password|2fa|two-factor|authenticator"), WEAK),
    Rule("en.frozen", SEC, _en(r"frozen|locked out"), WEAK, _re(r"screen|app|page|camera")),
    # --- upload_network_failure -----------------------------------------------------------------
    Rule("zh.network_error", NET, _re(r"网络请求失败|请求失败|开小差|网络(?:连接)?(?:错误|异常|超时|中断|失败|断开|断了|不稳|不太稳|不好|很差|太差|差|很慢|太慢|慢|有问题|信号)|检查网络|网络设置|断网|连接(?:中断|断开|失败|错误|异常)"), STRONG),
    Rule("zh.timeout", NET, _re(r"(?:连接|请求|上传)超时|超时"), CLEAR, unless_sentence=FACE_STEP),
    Rule("zh.upload_fail", NET, _re(r"上传" + C + r"{0,6}(?:失败|不了|不上|卡|中断|一半|转圈|没反应|很慢|断)|传不上|上传不|传到一半|走到一半"), HINT, _re(r"按钮"), True),
    Rule("zh.progress_stuck", NET, _re(r"(?:进度条?|上传)" + C + r"{0,6}(?:[0-9]+\s*%|一半)"), MEDIUM),
    Rule("zh.mobile_data", NET, _re(r"流量|移动数据|4g|信号(?:不好|差|弱|不太好|一般)|网速"), HINT, remedy=True),
    Rule("en.network_error", NET, _en(r"network (?:error|issue|problem|failure|timeout)|connection (?:error|lost|failed|failure|reset|timed out|timeout|dropped|interrupted|problem|issue)|(?:connection|internet|wifi|signal)\s+(?:keeps |kept )?(?:dropping|drops|dropped|cutting out|cuts out|cut out|disconnecting|disconnected|went down)|err_connection\w*|no internet|lost (?:the )?connection|check your (?:internet |network )?connection"), STRONG),
    Rule("en.timeout", NET, _en(r"timed? ?out|timing out|times out|timeout"), CLEAR, unless_sentence=FACE_STEP),
    Rule("en.upload_fail", NET, _en(r"(?:upload|uploading|uploads)\s+(?:\w+\s+){0,3}(?:fail\w*|error|stuck|freez\w*|hang\w*|never (?:finish|complete)s?|does not (?:finish|complete|work|go through)|will not (?:finish|complete|work|go through))|(?:cannot|unable to|could not|not able to) upload|upload failed|fails? to upload"), HINT, None, True),
    Rule("en.progress_stuck", NET, _en(r"stuck at [0-9]+\s?%|uploading\W{0,5}[0-9]+\s?%|(?:sits|stays|hangs|stops|freezes) at [0-9]+\s?%|(?:restarts|starts over) from (?:0|zero)|(?:gets|goes|got|went) (?:up )?to [0-9]+\s?%|at [0-9]+\s?% (?:and|then)"), MEDIUM),
    Rule("en.upload_drops", NET, _en(r"(?:upload|uploads|uploading|connection)\s+(?:\w+\s+)?(?:keeps|kept) (?:dropping|cutting out|stopping|breaking)"), CLEAR),
    Rule("en.uploading_forever", NET, _en(r"uploading\W{0,5}(?:\w+\s+){0,2}(?:forever|for ever|endlessly|for ages)|tap to retry"), MEDIUM, FACE_STEP),
    Rule("en.offline", NET, _en(r"you are offline|went offline|(?:broadband|internet|connection|wifi|network)\s+(?:\w+\s+){0,2}flaky|network exception"), CLEAR),
    Rule("en.bad_connection", NET, _en(r"mobile data|cellular data|(?:spotty|weak|bad|poor|slow|unstable|patchy|flaky)\s+(?:\w+\s+)?(?:4g|3g|5g|lte|signal|connection|internet|wifi|network|reception)|(?:internet|connection|wifi|network|signal)\s+(?:is\s+|was\s+)?(?:really\s+|very\s+|so\s+|super\s+|a bit\s+|a little\s+|kind of\s+|quite\s+|pretty\s+)?(?:slow|unstable|bad|spotty|weak|terrible|dropping|patchy)"), MEDIUM),
    # --- review_pending ------------------------------------------------------------------------
    Rule("zh.under_review", REV, _re(r"审核中|待审核|审核状态|正在审核|审核还没|还在审核|一直" + C + r"{0,2}审核"), CLEAR, unless_after=REVIEW_ENDED),
    Rule("zh.review_asks", REV, _re(r"审核" + C + r"{0,3}" + NUM_ZH + r"(?:多)?(?:天|周|个星期|星期|个月)|审核" + C + r"{0,3}多久|审核时间|审核进度|审核结果|耐心等待"), CLEAR, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("zh.review", REV, _re(r"审核|处理中"), WEAK, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("zh.review_not_done", REV, _re(r"审核" + C + r"{0,4}(?:还没好|还没完|还没出|没结果|怎么还|还在|好了没|多久|进度|什么时候|何时|结束|完成|好久)"), CLEAR, unless_after=REVIEW_ENDED),
    Rule("zh.still_processing", REV, _re(r"(?:一直|还|仍然|还是|始终)" + C + r"{0,3}(?:是|显示|在)?(?:处理中|审核中|待处理|等待中)"), CLEAR, unless_after=REVIEW_ENDED, unless_sentence=MONEY_TOPIC),
    Rule("zh.no_word", REV, _re(r"没(?:有)?了?下文|(?:还没|没有?|未)(?:有)?批|批了(?:没|未)|几时(?:到我|批)|等了?(?:好久|很久|这么久)|过没过|通过了没|有没有通过|到底过了没"), CLEAR, unless_after=REVIEW_ENDED, follow_up=True),
    Rule("zh.hurry", REV, _re(r"(?:快点|尽快|赶紧|早点)" + C + r"{0,6}(?:审|通过|处理|批)|状态" + C + r"{0,4}(?:一直是|还是|没变)"), CLEAR, unless_after=REVIEW_ENDED, follow_up=True),
    Rule("zh.days_waiting", REV, _re(r"(?:等|提交|送出)" + C + r"{0,4}" + NUM_ZH + r"(?:多)?(?:天|周|个?星期|个月|礼拜)|好几天了|一周了|" + NUM_ZH + r"(?:多)?(?:天|周|个?星期|个?礼拜|个月)了|上周" + C + r"{0,3}(?:提交|就)"), MEDIUM, follow_up=True, unless_after=REVIEW_ENDED, unless_sentence=MONEY_TOPIC),
    Rule("zh.how_long", REV, _re(r"多久|什么时候" + C + r"{0,3}(?:通过|有结果|审核|完成|好)|进度(?!条)|还没(?:有)?(?:结果|消息|通过|下来|动静)|没有消息|没消息|一点消息|催一下|催|加急|加快|工作日"), HINT, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("en.under_review", REV, _en(r"under review|in review|pending (?:review|verification|approval)|(?:still|been|is|status(?: is)?|shows?)\s+(?:\w+\s+)?pending|awaiting (?:review|approval|verification)|verification (?:is )?(?:still )?(?:in progress|processing)|being (?:reviewed|processed)"), CLEAR, unless_after=REVIEW_ENDED),
    Rule("en.checking_details", REV, _en(r"(?:we are|we're) (?:checking|reviewing|verifying) your (?:details|documents|information|identity)"), CLEAR, unless_after=REVIEW_ENDED),
    Rule("en.how_much_longer", REV, _en(r"how much longer|(?:it has|it's|its) been ages|for ages|wait(?:ing)? for (?:my )?(?:account|verification|kyc|documents?) to be (?:verified|approved|reviewed|checked)"), CLEAR, unless_after=REVIEW_ENDED, follow_up=True),
    Rule("en.how_going", REV, _en(r"how(?: is|'s| are) (?:my |the )?(?:verification|kyc|application|review|documents?) (?:going|coming along|doing)|(?:anyone|someone|anybody) (?:actually |even )?(?:looking at|checking|reviewing) (?:it|them|my)"), CLEAR, unless_after=REVIEW_ENDED, follow_up=True),
    Rule("en.hourglass", REV, _en(r"hourglass|(?:clock|timer) icon"), MEDIUM, unless_after=REVIEW_ENDED),
    Rule("en.pending", REV, _en(r"pending"), HINT, unless_after=REVIEW_ENDED, unless_sentence=MONEY_TOPIC),
    Rule("en.following_up", REV, _en(r"following up on my (?:application|verification|kyc|documents?)|checking in on my (?:application|verification|kyc|documents?)"), BROAD_CLEAR, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("en.status_processing", REV, _en(r"still being (?:looked at|reviewed|processed|checked)|(?:status|it)\s+(?:still\s+)?(?:says|shows|is)\s+\W?(?:processing|pending|in progress)"), BROAD_CLEAR, unless_after=REVIEW_ENDED, unless_sentence=MONEY_TOPIC),
    Rule("en.waiting_result", REV, _en(r"when (?:does|will|is) (?:the |my )?review|review (?:finish|end|be done|complete)|waiting (?:for|on) (?:my |the )?(?:verification|kyc|review)(?: result| decision| outcome)?|(?:verification|review|kyc) (?:result|decision|outcome)|check on (?:it|my verification)|update on my verification|heard back|progress of my verification|still reviewing|reviewing forever|approve or reject|(?:said|shown|showing|stuck|sitting|said that)\s+for " + NUM_EN + r" (?:days?|weeks?)"), CLEAR, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("en.how_long", REV, _en(r"how long (?:does|will|do|is|should|until)|when will (?:it|my|i|this|the)|any update|status update|\beta\b|expedite|speed (?:it )?up|hurry|business days"), HINT, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("en.days_waiting", REV, _en(r"(?:waiting|waited|wait|pending|submitted|been)\s+(?:for\s+|since\s+|over\s+|more than\s+|about\s+|almost\s+)?" + NUM_EN + r"\s+(?:\w+\s+)?(?:days?|weeks?|months?)|(?:it has|it's|its|it is) been " + NUM_EN + r" (?:days?|weeks?|months?)|(?:since|submitted|sent (?:it|them|everything)) (?:on |last )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week)"), CLEAR, follow_up=True, unless_after=REVIEW_ENDED, unless_sentence=MONEY_TOPIC),
    Rule("en.still_nothing", REV, _en(r"still (?:nothing|no (?:answer|response|reply|update|news|decision)|waiting|not approved|not verified)|no news(?: yet)?|nobody (?:answers|replies|responds)|no response|(?:days?|weeks?) (?:already|now|and still)"), HINT, follow_up=True, unless_after=REVIEW_ENDED),
    # --- page_load_cache --------------------------------------------------------------------------
    Rule("zh.blank", PAGE, _re(r"白屏|空白页|一片空白|页面空白|一片白|(?:页面|网页|屏幕|进去)(?:就|是|都是|全是)?(?:一片)?白(?:的|了|色)"), STRONG),
    Rule("zh.blank_weak", PAGE, _re(r"空白"), HINT),
    Rule("zh.page_busy", PAGE, _re(r"系统繁忙|服务繁忙"), CLEAR, UPLOAD_CTX),
    Rule("zh.spinning", PAGE, _re(r"一直在?转(?!账|圈)"), CLEAR, UPLOAD_CTX, generic=True),  # a spinner: the page's or the upload's
    Rule("zh.page_more", PAGE, _re(r"转不出来|排版" + C + r"{0,4}乱|(?:页面|网页)" + C + r"{0,6}(?:自动刷新|一直(?:在)?(?:刷新|闪)|闪烁|乱了)"), STRONG),
    Rule("zh.page_broken", PAGE, _re(r"404|找不到(?:该)?(?:网)?页面|页面不存在|(?:页面|网页|认证页|验证页|界面|网站)" + C + r"{0,6}(?:转圈|停住|不动|打不开|加载不出|加载失败|无法加载|不显示|显示不全|错乱|卡住|卡死|空白|一直加载|进不去|出不来|无法打开|没反应|报错)"), STRONG),
    Rule("zh.empty_page", PAGE, _re(r"(?:进去|打开|点开|进入)" + C + r"{0,6}(?:什么都没有|啥都没有|全是空的|是空的)|下面(?:全)?(?:是)?空的|一直(?:在)?读取|读取不出|读取中"), CLEAR, CAMERA_CTX),
    Rule("zh.thrown_back", PAGE, _re(r"(?:自己|自动|又)?(?:跳|返|退)回(?:到)?(?:首页|主页|上一页)|乱码|(?:字|文字)" + C + r"{0,4}(?:叠|重叠|挤)在一起"), CLEAR, CAMERA_CTX),
    Rule("zh.loading", PAGE, _re(r"加载不出|一直" + C + r"{0,2}加载|加载失败|无法加载|加载中|刷新重试|请刷新"), CLEAR),
    Rule("zh.spinner", PAGE, _re(r"(?:一直)?转圈"), HINT, UPLOAD_CTX),
    Rule("zh.no_response", PAGE, _re(r"(?:按钮|下一步|提交|确认|开始认证|继续)" + C + r"{0,8}(?:没反应|没有反应|点不了|点不动|无法点击|灰色|灰的|不能点|一点反应)|点不动|按不到|按不了|没(?:有)?(?:任何)?反应|一点反应都没有"), CLEAR, _re(r"摄像头|camera|webcam|交易|下单|trade"), True,
         unless_sentence=FACE_STEP),
    Rule("zh.cache", PAGE, _re(r"缓存|无痕|隐私模式|cookie"), WEAK, remedy=True),
    Rule("zh.refresh", PAGE, _re(r"刷新" + C + r"{0,4}(?:没用|不行|一样|无效)"), HINT),
    Rule("zh.other_browser", PAGE, _re(r"换了?(?:个|其他|过)?浏览器"), WEAK, remedy=True),
    Rule("zh.browser", PAGE, _re(r"浏览器|火狐"), WEAK, BROWSER_UNSUPPORTED_CTX, remedy=True, shared_with=BROWSER_NEIGHBOURS),
    Rule("zh.cannot_open", PAGE, _re(r"打不开|进不去"), HINT, CAMERA_CTX),
    Rule("en.blank", PAGE, _en(r"blank (?:page|screen)|white (?:page|screen)|(?:page|screen)\s*(?:=|:|goes|turns|went|turned)\s*(?:just |all |completely )?(?:white|blank)|(?:page|screen) is (?:just |all )?(?:blank|white|empty)|just (?:white|blank)|empty page"), STRONG),
    Rule("en.not_loading", PAGE, _en(r"(?:page|site|form|screen|website|verification)\s+(?:\w+\s+){0,2}(?:does not|do not|will not|did not|cannot|never)\s+(?:load|open|show|display|appear)|not loading|loads? forever|(?:keeps|kept) loading|loading (?:forever|spinner|screen|wheel|circle)|stuck (?:on|at) (?:the |a )?loading|never (?:loads|shows)|fail(?:ed|s)? to load|(?:page|site) (?:is )?(?:broken|not working)|page error"), STRONG),
    Rule("en.nothing_shows", PAGE, _en(r"nothing (?:shows|appears|comes) up|(?:screen|page) (?:goes|turns|went|turned) (?:grey|gray|white|blank)"), CLEAR, CAMERA_CTX),
    Rule("en.thrown_back", PAGE, _en(r"(?:go|goes|going|went|jumps?|kicks? me|sends? me|takes? me|throws? me|bounces?|redirects?(?: me)?) back to (?:the )?(?:home|main|start|login) ?(?:page|screen)|(?:screen|page) flickers|couldn't load this page|could not load (?:this|the) page"), CLEAR, CAMERA_CTX),
    Rule("en.page_submit", PAGE, _en(r"(?:form|page)\s+(?:won't|will not|does not|doesn't|cannot) submit|jumps back to the top|button is dead|dead button"), CLEAR),
    Rule("en.page_more", PAGE, _en(r"(?:page|screen)\s+(?:\w+\s+)?displays? (?:wrong\w*|incorrectly|weird\w*|broken)|images? (?:do not|does not|will not|did not) load|layout (?:is )?(?:broken|messed up|weird)|overlapping (?:text|buttons)|(?:page|screen) (?:keeps|kept) (?:refreshing|reloading|flashing)|endless(?:ly)? loading|loading endlessly|(?:page|screen) (?:is )?(?:just )?blank|page blank|nothing loads|(?:page|screen) (?:freezes|froze|is frozen)"), STRONG),
    Rule("en.partial_page", PAGE, _en(r"(?:only|just) shows? (?:the |a )?(?:header|logo|title|menu)|(?:page|screen|site|form|it) (?:only |just )?shows? nothing|nothing else (?:loads|shows|appears)|(?:page|screen) (?:is )?(?:empty|half loaded)"), CLEAR),
    Rule("en.spinner", PAGE, _en(r"spinn(?:ing|er)|endless spinner"), HINT, UPLOAD_CTX),
    Rule("en.no_response", PAGE, _en(r"(?:button|link)\s+" + C + r"{0,25}(?:does nothing|do nothing|not working|does not work|is greyed out|greyed out|grayed out|disabled|not clickable|unclickable|cannot (?:be )?click\w*)|nothing happens|(?:does|did|has done|have done) nothing|greyed out|grayed out"), CLEAR, CAMERA_CTX, True),
    Rule("en.cache", PAGE, _en(r"cache|cookies|incognito|private (?:mode|window|browsing)|browsing data"), WEAK, remedy=True),
    Rule("en.refresh", PAGE, _en(r"refresh\w*\s+" + C + r"{0,15}(?:does not|did not|no|not) help|refresh the page|page (?:is )?not working|err_cache_miss"), CLEAR, _re(r"connection|network|internet|wifi")),
    Rule("en.page_error", PAGE, _en(r"(?:page|site|website|screen|form)\s+(?:\w+\s+){0,3}(?:throws|shows|gives|displays|returns)\s+(?:me\s+)?(?:an?\s+)?\W?(?:error|oops|something went wrong)|(?:just |only |keeps? )?(?:reloads|refreshes|reloading|refreshing) (?:the )?same page"), CLEAR),
    Rule("en.went_wrong", PAGE, _en(r"something went wrong"), WEAK, generic=True),
    Rule("en.browser", PAGE, _en(r"chrome|firefox|safari|edge|browser|opera"), WEAK, BROWSER_UNSUPPORTED_CTX, remedy=True,
         shared_with=BROWSER_NEIGHBOURS),
    Rule("en.http_error", PAGE, _en(r"(?:error|http|status|code)\s*(?:404|500|502|503)|(?:404|500|502|503)\s*(?:error|not found)|bad gateway|internal server error"), HINT),
    # --- device_unsupported -----------------------------------------------------------------------
    Rule("zh.os_old", DEV, _re(r"(?:系统|手机|安卓|ios|苹果|浏览器|app|版本|软件|设备)" + C + r"{0,6}(?:太低|过低|太旧|过旧|太老|老了|旧了|低了)"), STRONG,
         NOT_DEVICE_CTX),
    Rule("zh.device_requirements", DEV, _re(r"(?:设备|手机|机型|电脑)" + C + r"{0,4}(?:不满足|不符合|达不到)" + C + r"{0,4}要求"), STRONG),
    Rule("zh.unsupported", DEV, _re(r"不支持(?:该|此|这个|我的|当前)?(?:设备|手机|机型|系统|浏览器|版本)|(?:设备|机型|手机|系统|浏览器|版本)" + C + r"{0,6}不支持"), STRONG, _re(r"格式|文件")),
    Rule("zh.unsupported_weak", DEV, _re(r"不支持"), HINT, FORMAT_CTX),
    Rule("zh.camera", DEV, _re(r"摄像头" + C + r"{0,8}(?:打不开|无法打开|用不了|调不起来|黑屏|没反应|没有反应|不工作|无法使用|无法访问|检测不到|没有画面|启动不了|不能用|权限|不可用)|(?:找不到|没有|检测不到|未检测到|无法检测到|无法访问|无法调用|无法打开|没有检测到)摄像头|(?:电脑|台式机)" + C + r"{0,4}没有?摄像头|摄像头" + C + r"{0,4}(?:没弹出|弹不出|调不出|不弹出|没有弹出|出不来)"), STRONG),
    Rule("zh.crash", DEV, _re(r"闪退|(?:app|应用|软件|程序|客户端)" + C + r"{0,4}崩溃|卡死|自动退出"), MEDIUM, _re(r"页面|网页")),
    Rule("zh.old_device", DEV, _re(r"(?:老|旧|几年前的|好几年前的|低端|老款)(?:的)?(?:手机|电脑|设备|机型|安卓|iphone|苹果)|(?:安卓|android)\s*[1-7](?![0-9])|ios\s*(?:[1-9]|1[0-2])(?![0-9])|iphone\s*(?:[4-8]s?|se)(?![0-9])|windows\s*(?:7|xp|vista)|内存不足|手机太卡"), MEDIUM, shared_with=DEVICE_NEIGHBOURS),
    Rule("zh.min_version", DEV, _re(r"(?:最低|至少|要求|需要|要)" + C + r"{0,4}(?:ios|安卓|android|系统|版本)\s*[0-9.]*\s*(?:以上|及以上|或更高)|(?:ios|安卓|android)\s*[0-9]+\s*(?:以上|及以上|或更高)|升不了|无法升级|不能升级|没法升级"), STRONG),
    Rule("zh.upgrade", DEV, _re(r"升级(?:系统|版本|手机|后)|请升级|更新系统|系统更新"), MEDIUM),
    Rule("en.os_old", DEV, _en(r"(?:device|phone|os|operating system|browser|app version|version|android|ios|system)\s+(?:is\s+)?(?:not supported|unsupported|too old|outdated|out of date|incompatible|not compatible)|(?:not supported|unsupported|incompatible)\s+(?:device|browser|os|phone|operating system)|update (?:your|my) (?:operating system|os|browser|android|ios|app|phone)"), STRONG),
    Rule("en.camera", DEV, _en(r"(?:does not|did not|cannot|could not|will not|unable to)\s+(?:recogni[sz]e|detect|find|see|access|open|start|use)\s+(?:the |my |your )?(?:camera|webcam)|camera\s+" + C + r"{0,15}(?:not (?:detected|found|available|working|supported|recogni[sz]ed)|does not (?:work|open|start)|will not (?:open|start|work)|is black|black screen|access denied|permission|blocked|unavailable)|no (?:camera|webcam)|(?:without|has no|have no|do not have|does not have) (?:a |any )?(?:camera|webcam)|webcam\s+" + C + r"{0,15}(?:not|does not)|(?:cannot|could not|unable to) (?:access|open|find|detect|start) (?:the |my |your )?(?:camera|webcam)"), STRONG),
    Rule("en.min_version", DEV, _en(r"(?:android|ios|windows|macos|chrome|safari)\s*[0-9.]+\s*(?:or (?:later|higher|above|newer)|\+|and (?:above|up))\s*(?:is |are )?(?:required|needed)?|requires? (?:android|ios|a newer|at least|version)|minimum (?:version|os|android|ios|requirement)"), STRONG),
    Rule("en.browser_unsupported", DEV, _en(r"(?:not available|not supported|unsupported|does not work) (?:in|on|with|by) (?:this|your|my|the) browser|browser (?:does not|do not|cannot) support|(?:unsupported|incompatible) browser|webrtc|open (?:it |this )?in (?:chrome|safari)"), STRONG),
    Rule("zh.browser_unsupported", DEV, _re(r"浏览器" + C + r"{0,6}(?:不支持|不兼容|用不了|无法使用)|请(?:改用|换用|使用|用)" + C + r"{0,4}(?:chrome|safari)|(?:在|用)(?:chrome|safari)(?:中|里)?打开"), STRONG),
    Rule("en.crash", DEV, _en(r"crash\w*|(?:app|application)\s+(?:\w+\s+)?(?:closes|shuts down|quits|exits)|closes (?:itself|immediately|as soon)|force clos\w*"), MEDIUM),
    Rule("en.old_device", DEV, _en(r"(?:old|older|ancient|cheap|low-end|outdated)\s+(?:phone|device|laptop|pc|computer|android|iphone|ipad|tablet|samsung)|android\s*[1-7](?:\.[0-9])?|ios\s*(?:[1-9]|1[0-2])(?:\.[0-9])?|iphone\s*(?:[4-8]s?|se)|galaxy\s*s[1-7]|windows (?:7|xp|vista)|internet explorer"), MEDIUM, shared_with=DEVICE_NEIGHBOURS),
    Rule("en.new_device", DEV, _en(r"need a new (?:phone|device)|different (?:phone|device)"), WEAK),
)

# Topics outside the guide (money, account admin, business, thanks): evidence for `other` as a decision
# of its own. A ticket that also names a real cause keeps the cause; these only decide when none is sure.
OFF_GUIDE: tuple[Rule, ...] = (
    Rule("zh.money", OTHER, _re(r"充值|提币|提现|出金|入金|到账|手续费|余额|买币|转账|限额|钱包地址|提币地址|交易明细|下单|交易按钮"), CLEAR),
    Rule("zh.account_admin", OTHER, _re(r"注销|删除(?:我的)?(?:账户|账号)|销户|改绑|换绑|手机号|修改邮箱|注册邮箱|昵称|找回(?:密码|账户)|密码忘|忘记(?:了)?密码|验证器(?:也)?(?:没了|丢)|退订|(?:收不到|没收到)(?:短信|验证码)"), CLEAR),
    Rule("zh.business", OTHER, _re(r"合作|招聘|发票|推荐(?:码|奖励)|邀请|返佣|奖励|活动|会员|vip|牌照|正规|客服电话|价格提醒|api|下载"), CLEAR),
    Rule("zh.about_kyc", OTHER, _re(r"隐私|个人信息保护|数据安全|谁能看到|保存多久|为什么(?:一定)?要(?:做)?(?:实名|认证|验证|kyc)|不想提供|诈骗|钓鱼|是你们发的吗|投诉|企业(?:账户|账号|认证)|公司(?:账户|账号|认证)"), CLEAR),
    Rule("zh.thanks", OTHER, _re(r"(?:问题)?已经?解决了|谢谢你们|点赞|很好用|测试邮件|请忽略|是客服邮箱吗"), CLEAR),
    Rule("zh.already_verified", OTHER, _re(r"(?:认证|实名)" + C + r"{0,4}(?:已经|早就)?(?:通过了|通过)|不是认证(?:的)?问题"), MEDIUM),
    Rule("en.money", OTHER, _en(r"fees?|withdraw\w*|deposit\w*|convert\w*|balance|limits?|trade button|buy (?:usdt|btc|crypto)|wrong (?:withdrawal )?address|reverse it|statement|tax\w*|transaction report"), CLEAR),
    Rule("en.account_admin", OTHER, _en(r"delete my account|close my account|unsubscribe|stop (?:sending|texting)|change (?:the |my )?email|lost my phone|reset my 2fa|authenticator|nickname|(?:cannot|unable to|could not|not able to) log ?in"), CLEAR),
    Rule("en.business", OTHER, _en(r"partnership|sponsorship|seo|newsletter|hiring|job|api|sandbox|referral\w*|bonus|promo|vip|licensed|price alert|marketing|legit"), CLEAR),
    Rule("en.about_kyc", OTHER, _en(r"privacy|personal data|my data|gdpr|data protection|who (?:sees|can see|has access to) (?:this|my|the) (?:data|information|documents?)|how long (?:do|will) you (?:keep|store)|why do you need (?:a |my )?(?:picture|photo|passport|id|selfie|face|documents?)|scam|phishing|fraudulent (?:email|sms|message)|was (?:this|it) (?:sent by|from) you|(?:formal )?complaint|business account|company account|corporate account"), CLEAR),
    Rule("en.thanks", OTHER, _en(r"thanks for the (?:quick )?help|got verified|right email for|is this the right"), CLEAR),
    Rule("en.already_verified", OTHER, _en(r"(?:kyc|verification) (?:was |is )?(?:already )?approved|i am verified|not about verification"), MEDIUM),
)

# The customer says a step already worked: what analysis finds in that step's attachment is not the
# problem they write about ("ID accepted, still pending — attaching it again anyway").
STEP_ACCEPTED: dict[str, re.Pattern] = {
    "id_document": _re(
        r"(?:证件|身份证|护照|驾照|证件照)" + C + r"{0,8}(?:已经|早就|早已)?(?:通过|过了|没问题|被接受|审核通过)"
        r"|(?:附件|附上|发)" + C + r"{0,10}(?:核对|只是|仅供)|只是给你们"
        r"|(?<![a-z])(?:id|passport|document|documents|licen[cs]e|id photo)s?\s+(?:\w+\s+){0,3}(?:was|were|is|are|got|has been|have been)\s+(?:\w+\s+)?(?:accepted|approved|fine|ok|passed)"
        r"|(?<![a-z])(?:id|passport|document|documents)\s+(?:passed|went through)"
        r"|just in case|anyway|only so you can|for reference"),
    "selfie": _re(
        r"(?:人脸|自拍|刷脸|脸部)" + C + r"{0,8}(?:已经|早就)?(?:通过|过了|没问题)"
        r"|(?:人脸|自拍|刷脸|脸部)[^。!?\n]{0,30}(?:提交成功|上传成功|显示成功)"
        r"|(?<![a-z])(?:selfie|face (?:check|scan|step))[^.!?\n]{0,40}(?:submitted successfully|uploaded successfully|upload was successful)"
        r"|(?<![a-z])(?:selfie|face (?:check|scan|step))\s+(?:\w+\s+){0,3}(?:was |were |is )?(?:accepted|passed|went through|fine|worked)"),
}

# Broader wording, written from the guide's six causes and three follow-ups rather than from any one
# ticket: how customers say each cause in plain words. Weights stay at "clear" or below: these are
# common words, so they carry less than the precise phrases above.
BROAD: tuple[Rule, ...] = (
    # face_document_mismatch
    Rule("en.broad.mismatch", MIS, _en(r"(?:selfie|face|photo|picture)s?\s+(?:and|&|vs\.?|versus)\s+(?:my\s+|the\s+)?(?:id|passport|document|licen[cs]e|id card)(?:\s+photo)?\s+(?:\w+\s+){0,2}(?:do not|does not|did not|not)\s+match|(?:face|selfie|biometric)\s+(?:\w+\s+){0,3}(?:similarity|match\w*)\s+(?:\w+\s+){0,2}(?:too low|low|failed|failure|error)|similarity (?:score )?(?:is )?too low|not the same person|(?:do not|does not) look like (?:my|the) (?:id|passport|photo)|face[- ]?to[- ]?(?:id|document) (?:check|match|comparison)"), BROAD_STRONG),
    Rule("zh.broad.mismatch", MIS, _re(r"相似度" + C + r"{0,4}(?:低|不够|不足)|人脸比对|比对" + C + r"{0,6}(?:非本人|不是本人)|(?:和|跟|与|同)证件(?:上的)?(?:照片|照)?" + C + r"{0,4}(?:不像|对不上|不一样|不匹配)"), BROAD_STRONG),
    # document_requirements
    # A document "rejected" without a reason says only that the step failed: beside a sure cause of another kind
    # (a number that does not match, a face, an upload) it is that cause's verdict, not a document problem of its own.
    Rule("en.broad.doc_rejected", DOC, _en(r"(?:photo|picture|image|scan|copy) of (?:my |the )?(?:id|passport|licen[cs]e|document|id card)\s+(?:\w+\s+){0,3}(?:rejected|declined|refused|not accepted|failed)|(?:id|passport|licen[cs]e|document|id card)\s+(?:photo|picture|image|scan)\s+(?:\w+\s+){0,3}(?:rejected|declined|refused|not accepted|failed)"), BROAD_CLEAR, FACE_CAM_CTX, generic=True),
    Rule("en.broad.doc", DOC, _en(r"all (?:four|4) corners|corners? (?:\w+\s+){0,2}(?:cut|missing|not visible)|photocopy|(?:id|card|passport|document|licen[cs]e|photo on it)\s+(?:is |was )?(?:\w+\s+){0,2}(?:damaged|worn|faded|cracked|scratched)|information incomplete|not (?:a )?valid (?:id|document)|(?:fingers?|thumb|clip|sticker|watermark)\s+(?:\w+\s+){0,3}(?:cover\w*|in the way|over)"), BROAD_CLEAR, FACE_CAM_CTX),
    Rule("zh.broad.doc_rejected", DOC, _re(r"(?:证件|身份证|护照|驾照|驾驶证|居留证|通行证)(?:照片|照|图片)?" + C + r"{0,8}(?:退回|退件|不合格|不符合|不被接受|不能用|被拒|驳回)"), BROAD_CLEAR, FACE_CAM_CTX, generic=True),
    Rule("zh.broad.doc", DOC, _re(r"(?:证件|身份证|护照|驾照|驾驶证|居留证|通行证)(?:照片|照|图片)?" + C + r"{0,8}(?:不完整|有遮挡|被遮|拍歪|太暗|模糊|不清)|复印件|信息不完整|四个角|边角|拍歪"), BROAD_CLEAR, FACE_CAM_CTX),
    # review_pending
    Rule("en.broad.review", REV, _en(r"(?:verification|kyc|review|application|documents?)\s+(?:\w+\s+){0,3}(?:still )?(?:pending|in review|under review|in progress|processing|not (?:yet )?(?:approved|reviewed|verified))|(?:progress|status) of (?:my )?(?:verification|kyc|review|application)|when (?:will|do|can) i (?:get|be) (?:verified|approved)|(?:approve|verify) (?:me|my account) (?:soon|quickly|faster)|waiting (?:for|on) (?:approval|verification|the result|a decision)|no decision|been (?:\w+\s+){0,2}(?:days?|weeks?) (?:now|already)"), BROAD_CLEAR, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("zh.broad.review", REV, _re(r"(?:认证|验证|审核|实名)" + C + r"{0,6}(?:进度|状态|还没(?:有)?(?:结果|通过|下来|好)|什么时候(?:能|可以)?(?:通过|好|出来|有结果)|多久(?:能|可以)?(?:通过|好|出结果)?)|等了" + C + r"{0,4}(?:天|周|星期|礼拜)|(?:第|已经)" + NUM_ZH + r"(?:个)?(?:天|周|星期|礼拜|工作日)"), BROAD_CLEAR, follow_up=True, unless_after=REVIEW_ENDED),
    # upload_network_failure
    Rule("en.broad.upload", NET, _en(r"(?:upload|uploading|submission|submit)\s+(?:\w+\s+){0,4}(?:network|connection|timeout|timed out|offline|interrupted|dropped|request failed)|request failed|check your (?:network|internet)|no connection|network (?:is )?(?:unstable|slow|down)"), BROAD_CLEAR, FACE_STEP),
    Rule("zh.broad.upload", NET, _re(r"上传" + C + r"{0,8}(?:网络|连接|超时|断开|中断|请求失败|信号)|网络不给力|请求超时|连接超时|信号(?:不好|差|弱)|网络不稳定"), BROAD_CLEAR, FACE_STEP),
    # page_load_cache
    Rule("en.broad.page", PAGE, _en(r"(?:page|site|website|screen|form|verification page|kyc page)\s+(?:\w+\s+){0,3}(?:won't|will not|doesn't|does not|cannot|can't|never)\s+(?:open|load|show|appear|display)|(?:page|screen|site)\s+(?:is |keeps )?(?:stuck|frozen|freezing|hanging|unresponsive|broken|glitch\w*)|(?:button|link)\s+(?:\w+\s+){0,3}(?:grey|gray|disabled|unresponsive|dead)|can(?:not|'t) (?:click|press|tap) (?:the |on )?(?:button|next|continue|submit)"), BROAD_CLEAR, CAMERA_CTX),
    Rule("zh.broad.page", PAGE, _re(r"(?:页面|网页|界面|认证页|验证页)" + C + r"{0,6}(?:打不开|加载|卡住|卡死|不动|没反应|出错|报错|显示不|错乱|闪|刷新|白|空)|(?:按钮|下一步|提交)" + C + r"{0,6}(?:灰|点不|没反应|无反应)"), BROAD_CLEAR, _re(r"摄像头|camera|webcam|交易|下单|trade")),
    # account_security_risk
    Rule("en.broad.security", SEC, _en(r"(?:account|login|log-in|access)\s+(?:\w+\s+){0,3}(?:locked|frozen|restricted|blocked|suspended|limited|disabled|on hold|flagged)|(?:risk|security|fraud) (?:control|check|review|team|hold|flag)|someone (?:else )?(?:logged|signed) in|login from (?:a |an )?(?:new|unknown|strange|foreign)|not me who logged in"), BROAD_CLEAR),
    Rule("zh.broad.security", SEC, _re(r"(?:账户|账号|帐户|帐号|登录)" + C + r"{0,6}(?:冻结|锁|限制|封|暂停|异常|风险|受限)|风控|被盗|安全(?:检查|审查|风险)|异地|陌生设备|不是我(?:本人)?(?:登录|操作)"), BROAD_CLEAR),
    # device_unsupported
    Rule("en.broad.device", DEV, _en(r"(?:device|phone|browser|os|system|version|tablet|computer|laptop|pc)\s+(?:\w+\s+){0,3}(?:not supported|unsupported|incompatible|not compatible|too old|outdated)|(?:front|back|rear)? ?camera\s+(?:\w+\s+){0,3}(?:broken|not found|not detected|doesn't work|does not work|not working|blocked|unavailable)|no (?:camera|webcam) (?:found|detected|available)|(?:ios|android|windows)\s*[0-9]+(?:\.[0-9]+)?\s+(?:\w+\s+){0,3}(?:not supported|unsupported|too old)"), BROAD_STRONG),
    Rule("zh.broad.device", DEV, _re(r"(?:设备|手机|系统|浏览器|版本|电脑|平板)" + C + r"{0,6}(?:不支持|不兼容|太旧|太老|过低|太低)|摄像头" + C + r"{0,6}(?:坏|打不开|检测不到|无法|不能用|用不了|调不)|(?:无法|不能)(?:调用|打开|检测到?)摄像头"), BROAD_STRONG, NOT_DEVICE_CTX),
    # identity_info_error
    Rule("en.broad.identity", IDI, _en(r"(?:name|surname|date of birth|dob|birthday|birth date|address|id number|document number|passport number|nationality|country)\s+(?:\w+\s+){0,3}(?:wrong|incorrect|mistake|typo|mismatch|misspel\w*|different|does not match|doesn't match|not match)|(?:wrong|incorrect|mistyped|misspelled)\s+(?:\w+\s+){0,2}(?:name|surname|date of birth|dob|birthday|address|id number|nationality|country)"), BROAD_CLEAR, MONEY_CTX),
    Rule("zh.broad.identity", IDI, _re(r"(?:姓名|名字|姓|生日|出生日期|出生年份|地址|证件号|身份证号|号码|国籍|拼音)" + C + r"{0,8}(?:错|不对|不一致|不符|不匹配|有误|反了|颠倒|少|漏)"), BROAD_CLEAR, MONEY_CTX),
)

BROAD_MORE: tuple[Rule, ...] = (
    Rule("zh.broad.review2", REV, _re(r"审核(?:通过了吗|太慢|好慢|慢到|这么慢|很慢|特别慢|一直没|迟迟)|迟迟(?:没有|不)|一直没(?:有)?(?:动静|消息|回复|结果)|还在等(?:结果|审核)?|等结果|什么时候(?:能|会)?(?:审核完|审完|通过|出结果)|(?:催|加急|加快)(?:一下)?(?:审核|处理|进度)"), BROAD_CLEAR, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("en.broad.review2", REV, _en(r"(?:still|not yet|hasn't been|has not been|haven't been|have not been) (?:\w+\s+){0,2}(?:verified|approved|reviewed)|approve my (?:account|verification|kyc)|verify me|(?:verification|kyc) (?:is )?(?:taking|takes) (?:so |too |very )?long|(?:stuck|sitting) (?:in|on|at) (?:review|pending|processing)"), BROAD_CLEAR, follow_up=True, unless_after=REVIEW_ENDED),
    Rule("zh.broad.face2", FACE, _re(r"(?:刷脸|扫脸|人脸|脸部|面部|活体|动作)(?:验证|识别|检测)?" + C + r"{0,6}(?:没过|不过|失败|不通过|没反应|超时|识别不|检测不|对不准|拍不到)|拍不到脸|对不准脸|脸(?:部)?(?:太暗|不清|模糊)"), BROAD_STRONG, FACE_CHECK_NOT_OWN, unless_sentence=MATCH_CTX),
    Rule("en.broad.face2", FACE, _en(r"(?:face|selfie|liveness|facial|biometric) (?:\w+\s+){0,3}(?:failed|fails|failing|rejected|not (?:passing|working|detected|recogni[sz]ed)|times out|timed out|won't pass|will not pass)|(?:cannot|can't|could not|unable to) (?:get|pass|finish|complete) (?:the )?(?:face|selfie|liveness)"), BROAD_STRONG, FACE_CHECK_NOT_OWN, unless_sentence=MATCH_CTX),
    Rule("zh.broad.doc2", DOC, _re(r"(?:不在有效期|有效期已过|证件已过期|过期了)|(?:照片|图片|文件)" + C + r"{0,6}(?:太大|过大|太小|格式|压缩|尺寸|分辨率)"), BROAD_CLEAR, FACE_CAM_CTX),
    Rule("en.broad.doc2", DOC, _en(r"(?:id|passport|licen[cs]e|document|card)\s+(?:\w+\s+){0,3}(?:expired|out of date|no longer valid)|(?:file|image|photo)\s+(?:\w+\s+){0,3}(?:too (?:big|large|small)|format|size)"), BROAD_CLEAR, FACE_CAM_CTX),
    Rule("en.broad.other", OTHER, _en(r"how (?:do|can) i (?:buy|sell|trade|withdraw|deposit|transfer|change|reset|delete|close|download)|my (?:order|trade|transfer|payment|card|bank)|customer support (?:email|phone|number)|(?:phone|contact) number"), BROAD_CLEAR),
    Rule("zh.broad.other", OTHER, _re(r"怎么(?:买|卖|交易|提现|充值|转账|修改|注销|下载)|订单|银行卡|支付宝|微信支付|联系方式"), BROAD_CLEAR),
)
