"""Default reply templates, written from the support guide's advice (zh: Simplified Chinese, en).

Placeholders are `{name}` and are filled by replies.render(): unknown or missing names become "",
so an agent-edited template can never break rendering. Available: greeting, customer_name,
ticket_reference, attachment, attachment_ref (the file name or "the photo you sent"), problem (a
localised sentence of what is wrong with it), error_message (the OCR'd error line), error_note (a
sentence quoting it, or ""), expiry, expiry_note.
"""

from __future__ import annotations

from .types import ReplyTemplate

EN_SIGN = "\n\nBest regards,\nKYC Support"
ZH_SIGN = "\n\n祝好！\nKYC 客服团队"


def _en(code: str, subject: str, body: str) -> ReplyTemplate:
    return ReplyTemplate(code, "en", subject, "{greeting}\n\n" + body + EN_SIGN)


def _zh(code: str, subject: str, body: str) -> ReplyTemplate:
    return ReplyTemplate(code, "zh", subject, "{greeting}\n\n" + body + ZH_SIGN)


_DOC_EN = "Your identity verification [{ticket_reference}]: a new photo of your document"
_DOC_ZH = "关于您的身份认证 [{ticket_reference}]：请重新上传证件照片"
_FACE_EN = "Your identity verification [{ticket_reference}]: the selfie step"
_FACE_ZH = "关于您的身份认证 [{ticket_reference}]：人脸识别步骤"

DEFAULT_TEMPLATES: tuple[ReplyTemplate, ...] = (
    # --- document_requirements ---------------------------------------------------------------------
    _en("document_requirements.generic", _DOC_EN,
        "Thanks for getting in touch. Your verification didn't go through because the document image "
        "couldn't be accepted as it was.{error_note}\n\nWhen you try again, please:\n"
        "- use a valid (not expired) ID card, passport or driving licence;\n"
        "- lay it flat on a dark, plain surface with all four corners in the frame;\n"
        "- take the photo in even light, without flash, so nothing is shiny, blurred or covered;\n"
        "- upload a JPG, PNG or PDF file within the size limit shown on the upload page."),
    _zh("document_requirements.generic", _DOC_ZH,
        "感谢您的耐心。这次认证没有通过，是因为上传的证件照片暂时不符合审核要求。{error_note}\n\n重新提交时请注意：\n"
        "- 使用仍在有效期内的身份证、护照或驾照；\n"
        "- 把证件平放在深色、干净的桌面上，四个角都要完整出现在画面里；\n"
        "- 在光线均匀的地方拍摄，关闭闪光灯，确保没有反光、模糊或遮挡；\n"
        "- 上传 JPG、PNG 或 PDF 格式，文件大小不要超过上传页面提示的上限。"),
    _en("document_requirements.glare", _DOC_EN,
        "Thanks for sending your document. In {attachment_ref}, {problem}, and that bright patch hides "
        "details our reviewers need to read.\n\nGlare usually comes from a lamp or the camera flash bouncing off "
        "the laminated surface. To avoid it:\n- turn the flash off;\n- move away from overhead lights or stand by a window "
        "in daylight;\n- tilt the document or your phone slightly until the shine disappears from the screen;\n"
        "- check the photo before you upload it.\n\nThen just upload the new photo on the verification page."),
    _zh("document_requirements.glare", _DOC_ZH,
        "感谢您提供证件照片。我们查看了 {attachment_ref}，发现{problem}，这块亮斑挡住了审核需要看清的信息。\n\n"
        "反光一般是台灯或闪光灯照在证件表面造成的，您可以这样调整：\n- 关闭闪光灯；\n- 避开头顶的灯，最好在白天靠窗的自然光下拍；\n"
        "- 稍微倾斜证件或手机，直到屏幕上看不到亮斑为止；\n- 上传前放大看一下照片是否清楚。\n\n拍好后在认证页面重新上传即可。"),
    _en("document_requirements.blurry", _DOC_EN,
        "Thanks for your patience. In {attachment_ref}, {problem}, so the system couldn't read your details.\n\n"
        "For a sharp photo:\n- rest your elbows on the table or lean the phone on something to keep it still;\n"
        "- tap the screen on the document to focus before taking the picture;\n"
        "- wipe the camera lens and make sure the room is well lit;\n- zoom in on the result to check the text is crisp.\n\n"
        "Once you're happy with it, please upload it again."),
    _zh("document_requirements.blurry", _DOC_ZH,
        "感谢您的耐心。{attachment_ref} 中{problem}，系统无法读取证件上的信息。\n\n想拍得清楚一些，可以试试：\n"
        "- 手肘撑在桌面上或把手机靠稳，避免抖动；\n- 拍摄前在屏幕上点一下证件位置完成对焦；\n"
        "- 擦一擦摄像头镜头，并在光线充足的地方拍；\n- 拍完放大检查文字是否清晰。\n\n确认清楚后重新上传就可以了。"),
    _en("document_requirements.too_dark", _DOC_EN,
        "Thanks for sending your document. {attachment_ref} is too dark for the details to be read: {problem}.\n\n"
        "Please retake it in a bright room or by a window during the day, with the light falling evenly on the document "
        "and without using the flash, then upload the new photo."),
    _zh("document_requirements.too_dark", _DOC_ZH,
        "感谢您提供证件照片。{attachment_ref} 光线不足，{problem}。\n\n请在明亮的房间里或白天靠窗的位置重新拍摄，让光线均匀照在证件上，"
        "不要开闪光灯，拍好后重新上传即可。"),
    _en("document_requirements.cropped", _DOC_EN,
        "Thanks for your upload. In {attachment_ref}, {problem}. Our reviewers need to see the whole document, "
        "including every edge and corner.\n\nPlease place the document on a plain surface, step back a little so there is "
        "a small border around it, make sure all four corners are inside the frame, and upload the new photo."),
    _zh("document_requirements.cropped", _DOC_ZH,
        "感谢您的上传。{attachment_ref} 中{problem}。审核需要看到完整的证件，包括每一条边和四个角。\n\n"
        "请把证件放在纯色桌面上，手机稍微拿远一点，让证件四周留出一点空白、四个角都在画面内，然后重新上传。"),
    _en("document_requirements.expired", _DOC_EN,
        "Thanks for sending your document. Unfortunately {problem}{expiry_note}, and we can only accept documents that "
        "are still valid.\n\nPlease verify with another valid ID, such as a current passport, national ID card or driving "
        "licence. If your renewal is on its way, you're welcome to complete verification as soon as you have it."),
    _zh("document_requirements.expired", _DOC_ZH,
        "感谢您提供证件。很遗憾，{problem}{expiry_note}，而我们只能接受仍在有效期内的证件。\n\n"
        "请改用其他有效证件完成认证，例如有效的护照、身份证或驾照。如果新证件正在办理中，拿到后再来认证即可。"),
    _en("document_requirements.low_resolution", _DOC_EN,
        "Thanks for your upload. {attachment_ref} came through too small: {problem}.\n\n"
        "Please take a fresh photo with your phone's main camera (not a screenshot or a photo sent through a chat app, "
        "which shrinks it), fill most of the frame with the document, and upload the original file."),
    _zh("document_requirements.low_resolution", _DOC_ZH,
        "感谢您的上传。{attachment_ref} 的尺寸太小：{problem}。\n\n请用手机后置摄像头重新拍一张（不要用截图，也不要用聊天软件转发过的图片，"
        "它们会被压缩），让证件占满画面的大部分，然后上传原图。"),
    _en("document_requirements.unreadable", _DOC_EN,
        "Thanks for sending your document. We couldn't open {attachment_ref}: {problem}.\n\n"
        "Please take a new photo or export the scan again as a JPG, PNG or PDF, check that it opens on your own device, "
        "and upload it once more."),
    _zh("document_requirements.unreadable", _DOC_ZH,
        "感谢您提供证件。我们打不开 {attachment_ref}：{problem}。\n\n请重新拍一张照片，或把扫描件重新导出为 JPG、PNG 或 PDF，"
        "先在自己的设备上确认能正常打开，再重新上传。"),
    _en("document_requirements.unsupported_file", _DOC_EN,
        "Thanks for your upload. {attachment_ref} can't be used for verification: {problem}.\n\n"
        "Please send the document as a JPG, PNG or PDF. On an iPhone you can switch Settings > Camera > Formats to "
        "\"Most Compatible\" and take the photo again."),
    _zh("document_requirements.unsupported_file", _DOC_ZH,
        "感谢您的上传。{attachment_ref} 无法用于认证：{problem}。\n\n请以 JPG、PNG 或 PDF 格式上传证件。使用 iPhone 的话，"
        "可以在“设置 > 相机 > 格式”中选择“兼容性最佳”，再重新拍摄。"),
    _en("document_requirements.file_too_large", _DOC_EN,
        "Thanks for your upload. {attachment_ref} is too big to process: {problem}.\n\n"
        "Please reduce it before uploading: take the photo at a normal (not maximum) resolution, or save the scan as a "
        "single-page PDF or JPG. A clear photo of a few megabytes is plenty."),
    _zh("document_requirements.file_too_large", _DOC_ZH,
        "感谢您的上传。{attachment_ref} 太大，系统无法处理：{problem}。\n\n请先把文件变小再上传：用普通分辨率拍摄，"
        "或把扫描件保存为单页 PDF 或 JPG。几 MB 大小、内容清楚的照片就完全够用。"),
    # --- face_recognition_failed -------------------------------------------------------------------
    _en("face_recognition_failed.generic", _FACE_EN,
        "Thanks for reaching out. The face check didn't succeed this time.{error_note}\n\nA few things make it much more "
        "likely to pass:\n- face a window or a bright lamp, so the light is in front of you rather than behind;\n"
        "- take off glasses, hat or mask and keep your hair away from your face;\n"
        "- hold the phone at eye level, look straight into the camera and follow the on-screen prompts slowly;\n"
        "- wipe the camera lens first.\n\nThen start the verification again."),
    _zh("face_recognition_failed.generic", _FACE_ZH,
        "感谢您的反馈。这次人脸识别没有通过。{error_note}\n\n下面几点可以大大提高通过率：\n- 面向窗户或明亮的灯光，让光从正面照过来，避免背光；\n"
        "- 摘下眼镜、帽子和口罩，头发不要挡住脸；\n- 手机与眼睛齐平，正视摄像头，按屏幕提示慢慢完成动作；\n- 先擦干净摄像头镜头。\n\n然后重新开始认证即可。"),
    _en("face_recognition_failed.too_dark", _FACE_EN,
        "Thanks for trying the selfie step. Looking at {attachment_ref}, {problem}.\n\nPlease try again somewhere bright: "
        "during the day facing a window works best, or in front of a lamp. Avoid having a window or light behind you, "
        "which leaves your face in shadow."),
    _zh("face_recognition_failed.too_dark", _FACE_ZH,
        "感谢您完成自拍步骤。我们查看了 {attachment_ref}，{problem}。\n\n请换到明亮的地方重新拍：白天面向窗户最好，"
        "也可以面对一盏台灯。不要背对窗户或灯光，否则脸会处在阴影里。"),
    _en("face_recognition_failed.no_face", _FACE_EN,
        "Thanks for trying the selfie step. In {attachment_ref}, {problem}.\n\nPlease hold the phone at arm's length at "
        "eye level, keep your whole face inside the oval on screen, remove anything covering it (mask, hat, sunglasses) "
        "and make sure the room is well lit before you try again."),
    _zh("face_recognition_failed.no_face", _FACE_ZH,
        "感谢您完成自拍步骤。{attachment_ref} 中{problem}。\n\n请把手机举到与眼睛齐平、约一臂远的位置，让整张脸都在屏幕上的框内，"
        "摘掉口罩、帽子或墨镜，并在光线充足的地方重新尝试。"),
    _en("face_recognition_failed.multiple_faces", _FACE_EN,
        "Thanks for trying the selfie step. In {attachment_ref}, {problem}, so the system couldn't tell which face to check.\n\n"
        "Please take the selfie on your own, in front of a plain background with nobody else or any photos or posters of "
        "faces behind you."),
    _zh("face_recognition_failed.multiple_faces", _FACE_ZH,
        "感谢您完成自拍步骤。{attachment_ref} 中{problem}，系统无法判断要核验哪一张脸。\n\n"
        "请单独一人拍摄，背景尽量简单，身后不要有其他人，也不要有带人脸的照片或海报。"),
    _en("face_recognition_failed.blurry", _FACE_EN,
        "Thanks for trying the selfie step. In {attachment_ref}, {problem}.\n\nPlease hold the phone steady (resting your "
        "elbows on a table helps), wipe the front camera, make sure there's enough light, and move slowly when the app "
        "asks you to turn or blink."),
    _zh("face_recognition_failed.blurry", _FACE_ZH,
        "感谢您完成自拍步骤。{attachment_ref} 中{problem}。\n\n请拿稳手机（可以把手肘撑在桌面上），擦一擦前置摄像头，"
        "保证光线充足，按提示转头或眨眼时动作放慢一些。"),
    # --- the other causes ------------------------------------------------------------------------------
    _en("identity_info_error.generic", "Your identity verification [{ticket_reference}]: checking your details",
        "Thanks for contacting us. The details entered in your verification form don't match your document.{error_note}\n\n"
        "Please compare each field with your ID letter by letter: your full name (including any middle names, in the same "
        "order as on the document), date of birth (day and month are easy to swap), document number and address. "
        "If a detail can't be edited on your side, reply to this email with the correct value and we'll help you update it."),
    _zh("identity_info_error.generic", "关于您的身份认证 [{ticket_reference}]：请核对填写的信息",
        "感谢您联系我们。您在认证表单中填写的信息与证件上的不一致。{error_note}\n\n请对照证件逐项核对：姓名（包括拼音的每个字母和顺序）、"
        "出生日期（注意年月日不要填反）、证件号码和地址格式。如果有信息无法自行修改，请直接回复本邮件告诉我们正确内容，我们会协助您更新。"),
    _en("face_document_mismatch.generic", "Your identity verification [{ticket_reference}]: selfie and ID photo",
        "Thanks for getting in touch. The system couldn't confirm that your selfie and the photo on your document show the "
        "same person.{error_note}\n\nThis often happens when the document photo is old or the selfie is taken at an angle. "
        "Please retake the selfie facing the camera in good light, with your face uncovered and looking as close as you can "
        "to your document photo (for example glasses on or off as in the ID). If you have a more recent valid document, "
        "using it usually helps. If it still fails, reply here and we'll have a colleague review it manually."),
    _zh("face_document_mismatch.generic", "关于您的身份认证 [{ticket_reference}]：自拍与证件照比对",
        "感谢您的反馈。系统未能确认自拍和证件上的照片是同一个人。{error_note}\n\n证件照拍摄时间较久或自拍角度偏了，都容易出现这种情况。"
        "请在光线充足的地方正对摄像头重新自拍，不要遮挡面部，尽量与证件照时的样子保持一致（比如证件照戴眼镜就戴上）。"
        "如果您有更新的有效证件，换用它通常会更顺利。若仍然失败，请回复本邮件，我们会安排同事人工复核。"),
    _en("account_security_risk.generic", "Your account [{ticket_reference}]: security check before verification",
        "Thanks for letting us know. Verification is paused on your account while we check some unusual activity.{error_note}\n\n"
        "To protect your funds, please right away:\n- change your password (use one you don't use anywhere else);\n"
        "- turn on two-factor authentication (2FA) with an authenticator app;\n- review your devices and log out any you don't recognise.\n\n"
        "Then reply to this email confirming the steps, and tell us about any login or activity you don't recognise. "
        "Our security team will review the account and let you know when verification can continue."),
    _zh("account_security_risk.generic", "关于您的账户 [{ticket_reference}]：认证前的安全检查",
        "感谢您告诉我们。由于账户出现了异常活动，认证暂时被暂停，我们正在核查。{error_note}\n\n为保护您的资产，请尽快：\n"
        "- 修改登录密码（不要与其他网站相同）；\n- 开启二次验证（2FA），建议使用身份验证器 App；\n- 检查已登录设备，退出不认识的设备。\n\n"
        "完成后请回复本邮件确认，并告诉我们是否有不是您本人的登录或操作。安全团队核查后会通知您何时可以继续认证。"),
    _en("upload_network_failure.generic", "Your identity verification [{ticket_reference}]: upload interrupted",
        "Thanks for your message. Your files didn't reach us because the upload was interrupted by the connection.{error_note}\n\n"
        "Please try again on a stable Wi-Fi network rather than mobile data, stay on the page until the upload finishes, "
        "and close other apps or downloads that use the connection. If it stops again, switch to another network and retry; "
        "a failed upload doesn't count against your verification."),
    _zh("upload_network_failure.generic", "关于您的身份认证 [{ticket_reference}]：上传中断",
        "感谢您的来信。您的文件没有传到我们这边，是因为上传过程中网络中断了。{error_note}\n\n请连接稳定的 Wi-Fi（尽量不要用移动数据）后重试，"
        "上传完成前不要离开页面，同时关闭其他占用网络的应用或下载。如果还是中断，换一个网络环境再试，之前的失败不会影响您的认证。"),
    _en("review_pending.generic", "Your identity verification [{ticket_reference}]: still in review",
        "Thanks for your patience, and sorry for the wait. Your documents have been received and are in the review queue.{error_note}\n\n"
        "There's nothing you need to resubmit, and sending them again would only move you back in the queue. Reviews "
        "sometimes take longer when volumes are high; you'll get an email and an app notification as soon as there's a decision, "
        "and you can check the status any time under Identity Verification."),
    _zh("review_pending.generic", "关于您的身份认证 [{ticket_reference}]：正在审核中",
        "感谢您的耐心，让您久等了。您的资料我们已经收到，目前正在排队审核。{error_note}\n\n您不需要重新提交，重复提交反而会重新排队。"
        "申请量大的时候审核会慢一些；一有结果，我们会通过邮件和 App 通知您，您也可以随时在“身份认证”页面查看进度。"),
    _en("page_load_cache.generic", "Your identity verification [{ticket_reference}]: the page isn't loading",
        "Thanks for reporting this. When the verification page stays blank or a button doesn't respond, it's usually "
        "old data stored in the browser.{error_note}\n\nPlease try:\n- clearing your browser's cache and cookies, then reloading the page;\n"
        "- opening the page in a private/incognito window;\n- using another up-to-date browser such as Chrome, Firefox or Safari;\n"
        "- or updating our app to the latest version.\n\nIf it still won't load, reply with a screenshot and the browser you use."),
    _zh("page_load_cache.generic", "关于您的身份认证 [{ticket_reference}]：页面无法正常加载",
        "感谢您的反馈。认证页面空白或按钮没有反应，多半是浏览器里的旧缓存导致的。{error_note}\n\n请依次试试：\n- 清除浏览器缓存和 Cookie 后刷新页面；\n"
        "- 用无痕/隐私窗口打开认证页面；\n- 换一个最新版的浏览器，例如 Chrome、Firefox 或 Safari；\n- 或把我们的 App 更新到最新版本。\n\n"
        "如果仍然打不开，请回复截图并告诉我们您使用的浏览器。"),
    _en("device_unsupported.generic", "Your identity verification [{ticket_reference}]: your device",
        "Thanks for getting in touch. The verification step needs a reasonably recent system and a working camera, and "
        "your device doesn't seem to meet that right now.{error_note}\n\nPlease update your phone's operating system, browser "
        "and our app to the latest versions, and allow camera access when asked. If the device can't be updated or has no "
        "camera, the quickest fix is to finish verification on another phone or computer; simply log in there."),
    _zh("device_unsupported.generic", "关于您的身份认证 [{ticket_reference}]：设备兼容性",
        "感谢您联系我们。认证需要较新的系统版本和可以正常使用的摄像头，您目前的设备似乎不满足这些条件。{error_note}\n\n"
        "请把手机系统、浏览器和我们的 App 都更新到最新版本，并在提示时允许使用摄像头。如果设备无法升级或没有摄像头，"
        "最快的办法是换一台手机或电脑登录后完成认证。"),
    _en("other.generic", "Your request [{ticket_reference}]",
        "Thanks for contacting us. We've received your message and a member of the team will look into it and get back to "
        "you shortly. If you have a screenshot or any error message, just reply to this email with it; it helps us answer faster."),
    _zh("other.generic", "关于您的咨询 [{ticket_reference}]",
        "感谢您联系我们。我们已经收到您的消息，同事会尽快查看并回复您。如果有相关截图或错误提示，直接回复本邮件发给我们，可以帮助我们更快处理。"),
)
