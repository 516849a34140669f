"""Trademarks (商标信息数据库): marks with their goods, parties and events; China's 类似商品和服务区分表 by edition;
watches of an owner's marks against new preliminary publications; import manifests.

A mark is one application (申请) in one office; in China one application covers one Nice class, so the
注册号 (which is the application number) identifies mark and class together.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ipoffice.core.models import ImportManifestBase


class MarkType(models.TextChoices):
    WORD = "word", _("word")  # 文字
    FIGURATIVE = "figurative", _("figurative")  # 图形
    COMBINED = "combined", _("combined")  # 组合
    THREE_D = "3d", _("three-dimensional")  # 立体
    COLOUR = "colour", _("colour")  # 颜色组合
    SOUND = "sound", _("sound")  # 声音
    OTHER = "other", _("other")


class MarkKind(models.TextChoices):
    INDIVIDUAL = "individual", _("ordinary mark")  # 普通商标
    COLLECTIVE = "collective", _("collective mark")  # 集体商标
    CERTIFICATION = "certification", _("certification mark")  # 证明商标


class MarkStatus(models.TextChoices):
    PENDING = "pending", _("application pending")  # 申请中 / 等待审查
    PUBLISHED = "published", _("preliminarily approved and published")  # 初审公告
    OPPOSED = "opposed", _("under opposition")  # 异议中
    REGISTERED = "registered", _("registered")  # 已注册
    EXPIRED = "expired", _("expired")  # 期满未续展
    CANCELLED = "cancelled", _("cancelled")  # 撤销 / 注销
    INVALIDATED = "invalidated", _("invalidated")  # 无效宣告
    REFUSED = "refused", _("refused")  # 驳回
    WITHDRAWN = "withdrawn", _("withdrawn or abandoned")  # 撤回 / 放弃
    UNKNOWN = "", _("unknown")


LIVE_STATUSES = (MarkStatus.PENDING, MarkStatus.PUBLISHED, MarkStatus.OPPOSED, MarkStatus.REGISTERED)


class MadridRole(models.TextChoices):
    NONE = "", _("not international")
    ORIGIN = "origin", _("international registration from this office")  # 马德里国际注册 (走出去)
    DESIGNATION = "designation", _("designation of an international registration")  # 指定中国的国际注册


class Trademark(models.Model):
    office = models.CharField(_("office"), max_length=2, default="CN", db_index=True)  # CN, US, EM, WO, …
    application_number = models.CharField(_("application number"), max_length=30)  # 申请号 / 注册号
    registration_number = models.CharField(_("registration number"), max_length=30, blank=True, db_index=True)
    mark_text = models.CharField(_("mark"), max_length=500, blank=True)  # the verbal element as written
    text_zh = models.CharField(_("Chinese characters"), max_length=200, blank=True)
    text_latin = models.CharField(_("Latin letters"), max_length=300, blank=True)
    text_digits = models.CharField(_("digits"), max_length=50, blank=True)
    text_folded = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    text_pinyin = models.CharField(max_length=800, blank=True, editable=False)
    mark_type = models.CharField(_("mark type"), max_length=12, choices=MarkType.choices, default=MarkType.WORD)
    mark_kind = models.CharField(_("kind"), max_length=14, choices=MarkKind.choices, default=MarkKind.INDIVIDUAL)
    is_geographical_indication = models.BooleanField(_("geographical indication"), default=False)  # 地理标志
    is_well_known = models.BooleanField(_("well-known mark"), default=False)  # 驰名商标
    image = models.FileField(_("image"), upload_to="trademarks/", blank=True)
    image_description = models.CharField(_("image description"), max_length=500, blank=True)
    colour_claim = models.CharField(_("colour claim"), max_length=300, blank=True)
    edition = models.CharField(_("classification edition"), max_length=20, blank=True)  # e.g. NCL13-2026
    filing_date = models.DateField(_("filing date"), null=True, blank=True, db_index=True)
    priority_date = models.DateField(_("priority date"), null=True, blank=True)
    preliminary_publication_date = models.DateField(_("preliminary publication date"), null=True, blank=True,
                                                    db_index=True)  # 初审公告日
    preliminary_publication_issue = models.CharField(_("preliminary publication issue"), max_length=20,
                                                     blank=True)  # 初审公告期号
    registration_date = models.DateField(_("registration date"), null=True, blank=True, db_index=True)
    registration_issue = models.CharField(_("registration publication issue"), max_length=20, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)  # 专用权期限
    term_end = models.DateField(_("term end"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=MarkStatus.choices, blank=True, db_index=True)
    status_text = models.CharField(_("status as given"), max_length=300, blank=True)
    status_date = models.DateField(_("status date"), null=True, blank=True)
    madrid_role = models.CharField(_("Madrid"), max_length=12, choices=MadridRole.choices, blank=True,
                                   db_index=True)
    international_registration_number = models.CharField(_("international registration number"), max_length=20,
                                                         blank=True, db_index=True)
    international_registration_date = models.DateField(_("international registration date"), null=True,
                                                       blank=True)
    designation_date = models.DateField(_("subsequent designation date"), null=True, blank=True)
    designated_countries = models.JSONField(_("designated countries"), default=list, blank=True)
    owner_name = models.CharField(_("owner"), max_length=300, blank=True, db_index=True)  # first owner, as given
    region = models.ForeignKey("regions.Region", verbose_name=_("region of the first owner"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="trademarks")
    extra = models.JSONField(_("other data"), default=dict, blank=True)
    source_file = models.CharField(_("source file"), max_length=500, blank=True)
    source_format = models.CharField(_("source format"), max_length=40, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    is_generated = models.BooleanField(_("generated demo record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["content_hash", "text_folded", "text_pinyin"])

    class Meta:
        ordering = ["-filing_date", "office", "application_number"]
        constraints = [models.UniqueConstraint(fields=["office", "application_number"], name="trademark_office_app")]
        indexes = [models.Index(fields=["status", "registration_date"], name="trademark_status_reg")]
        verbose_name = _("trademark")
        verbose_name_plural = _("trademarks")

    def __str__(self):
        return f"{self.display_number} {self.display_text}"

    def get_absolute_url(self):
        return reverse("trademarks:detail", args=[self.office, self.application_number])

    @property
    def display_number(self) -> str:
        number = self.registration_number or self.application_number
        return number if self.office == "CN" else f"{self.office} {number}"

    @property
    def display_text(self) -> str:
        return self.mark_text or f"[{self.get_mark_type_display()}]"

    @property
    def classes(self) -> list[int]:
        return sorted({g.class_number for g in self.goods.all()})

    def fill_text_fields(self) -> None:
        """Split the mark's text into its Chinese, Latin and digit elements and compute the search forms."""
        from .text import split_mark_text

        parts = split_mark_text(self.mark_text)
        self.text_zh, self.text_latin, self.text_digits = parts.zh[:200], parts.latin[:300], parts.digits[:50]
        self.text_folded, self.text_pinyin = parts.folded[:500], parts.pinyin[:800]


class TrademarkParty(models.Model):
    """An owner (申请人/注册人), a former owner, an agency (代理机构) or a correspondent of a mark."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        FORMER_OWNER = "former_owner", _("former owner")
        AGENT = "agent", _("agent")
        CORRESPONDENT = "correspondent", _("correspondent")

    trademark = models.ForeignKey(Trademark, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=14, choices=Role.choices)
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    address = models.CharField(_("address as given"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    capacity = models.CharField(_("capacity"), max_length=100, blank=True)  # e.g. ORIGINAL APPLICANT
    entity = models.ForeignKey("entities.Entity", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="trademark_parties")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="trademark_parties")

    class Meta:
        ordering = ["trademark", "role", "sequence"]
        indexes = [models.Index(fields=["role", "entity"], name="tmparty_role_entity")]
        verbose_name = _("trademark party")
        verbose_name_plural = _("trademark parties")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class TrademarkGoods(models.Model):
    """One designated good or service: its Nice class and, for Chinese marks, its 类似群 and item code."""

    trademark = models.ForeignKey(Trademark, on_delete=models.CASCADE, related_name="goods")
    sequence = models.PositiveSmallIntegerField(default=0)
    class_number = models.PositiveSmallIntegerField(_("Nice class"), db_index=True)
    group_code = models.CharField(_("similar group"), max_length=4, blank=True, db_index=True)
    item_code = models.CharField(_("item code"), max_length=8, blank=True, db_index=True)
    name = models.TextField(_("goods or services"), blank=True)

    class Meta:
        ordering = ["trademark", "class_number", "sequence"]
        verbose_name = _("goods or service")
        verbose_name_plural = _("goods and services")

    def __str__(self):
        return f"{self.class_number:02d} {self.group_code} {self.name[:60]}"


class TrademarkEvent(models.Model):
    """A step of the mark's history (商标流程): filing, publication, registration, renewal, transfer, …"""

    trademark = models.ForeignKey(Trademark, on_delete=models.CASCADE, related_name="events")
    date = models.DateField(_("date"), db_index=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["trademark", "date", "id"]
        verbose_name = _("trademark event")
        verbose_name_plural = _("trademark events")

    def __str__(self):
        return f"{self.date} {self.code} {self.description[:40]}"


# --- the 类似商品和服务区分表 -------------------------------------------------------------------------------

class ClassificationEdition(models.Model):
    """One loaded edition of China's 类似商品和服务区分表 (e.g. NCL13-2026), used for marks filed from its date."""

    code = models.CharField(_("edition"), max_length=20, unique=True)  # NCL13-2026
    nice_edition = models.PositiveSmallIntegerField(_("Nice edition"))
    year = models.PositiveSmallIntegerField(_("year"))
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source file"), max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    classes = models.PositiveIntegerField(default=0)
    groups = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("classification edition")
        verbose_name_plural = _("classification editions")

    def __str__(self):
        return self.code


class NiceClass(models.Model):
    edition = models.CharField(max_length=20, db_index=True)
    number = models.PositiveSmallIntegerField(_("class"))
    heading = models.TextField(_("heading"), blank=True)

    class Meta:
        ordering = ["edition", "number"]
        constraints = [models.UniqueConstraint(fields=["edition", "number"], name="niceclass_edition_number")]
        verbose_name = _("Nice class")
        verbose_name_plural = _("Nice classes")

    def __str__(self):
        return f"{self.number:02d}"

    @property
    def kind(self) -> str:
        return "services" if self.number >= 35 else "goods"


class SimilarGroup(models.Model):
    """A 类似群 (four digits, e.g. 0901), with the notes (注) that the 区分表 prints under it where known."""

    edition = models.CharField(max_length=20, db_index=True)
    code = models.CharField(_("similar group"), max_length=4)
    class_number = models.PositiveSmallIntegerField(_("class"), db_index=True)
    name = models.TextField(_("name"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["edition", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="similargroup_edition_code")]
        verbose_name = _("similar group")
        verbose_name_plural = _("similar groups")

    def __str__(self):
        return f"{self.code} {self.name}"


class GoodsItem(models.Model):
    """A goods or services item of the 区分表 (six digits, or C + six digits for China-only items).

    ``spans_groups`` is the table's ``*``: the item is cross-searched with the same goods in other groups.
    Items with synonyms are one row, the names joined by '，' as in the table.
    """

    edition = models.CharField(max_length=20, db_index=True)
    code = models.CharField(_("item code"), max_length=8)
    group_code = models.CharField(_("similar group"), max_length=4, db_index=True)
    class_number = models.PositiveSmallIntegerField(_("class"), db_index=True)
    name = models.CharField(_("name"), max_length=300, db_index=True)
    spans_groups = models.BooleanField(_("cross-group item (*)"), default=False)
    source_year = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["edition", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="goodsitem_edition_code")]
        verbose_name = _("goods or services item")
        verbose_name_plural = _("goods and services items")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def names(self) -> list[str]:
        return [n.strip() for n in self.name.split("，") if n.strip()]


class CrossLink(models.Model):
    """Two similar groups to be searched together (交叉检索): from a ``*`` item found in both, or a group's note."""

    class Kind(models.TextChoices):
        STAR = "star", _("same cross-group item (*) in both groups")
        NOTE = "note", _("note of the table")

    edition = models.CharField(max_length=20, db_index=True)
    group_code = models.CharField(max_length=4, db_index=True)
    linked_group_code = models.CharField(max_length=4)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    item_code = models.CharField(max_length=8, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["edition", "group_code", "linked_group_code"]
        constraints = [models.UniqueConstraint(fields=["edition", "group_code", "linked_group_code", "kind",
                                                       "item_code"], name="crosslink_unique")]

    def __str__(self):
        return f"{self.group_code} ↔ {self.linked_group_code} ({self.kind})"


# --- watches -------------------------------------------------------------------------------------------

class Watch(models.Model):
    """An owner's marks watched against new preliminary publications (初审公告)."""

    entity = models.ForeignKey("entities.Entity", verbose_name=_("owner"), on_delete=models.CASCADE,
                               related_name="trademark_watches")
    threshold = models.FloatField(_("alert threshold (0-1)"), default=0.6)
    active = models.BooleanField(_("active"), default=True)
    last_run = models.DateTimeField(_("last run"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity__name"]
        constraints = [models.UniqueConstraint(fields=["entity"], name="watch_entity")]
        verbose_name = _("trademark watch")
        verbose_name_plural = _("trademark watches")

    def __str__(self):
        return f"{self.entity}"


class WatchAlert(models.Model):
    """A newly published mark that may conflict with a watched mark, with the deadline to oppose it."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        SEEN = "seen", _("seen")
        DISMISSED = "dismissed", _("dismissed")
        OPPOSED = "opposed", _("opposition filed")

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="alerts")
    watched_mark = models.ForeignKey(Trademark, on_delete=models.CASCADE, related_name="+")
    conflicting_mark = models.ForeignKey(Trademark, on_delete=models.CASCADE, related_name="watch_alerts")
    score = models.FloatField(_("score"))
    similarity = models.FloatField(_("mark similarity"))
    goods_relation = models.CharField(_("goods relation"), max_length=20)
    rules = models.JSONField(_("reasons"), default=list)
    opposition_deadline = models.DateField(_("opposition deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opposition_deadline", "-score"]
        constraints = [models.UniqueConstraint(fields=["watched_mark", "conflicting_mark"], name="alert_pair")]
        verbose_name = _("watch alert")
        verbose_name_plural = _("watch alerts")

    def __str__(self):
        return f"{self.conflicting_mark} ~ {self.watched_mark}"


class ImportManifest(ImportManifestBase):
    """What one import of one trademark file did."""
