"""Generated demo marks for the demo site: ``generate_demo_marks(count)`` (called by ``ipoffice demo``).

Owners are the generated demo entities when there are some (else generated owner names, created as entities),
goods come from the loaded 区分表 (else a real selection), dates run up to today. On top of the generated register
it adds a small watch story: the first generated enterprise with marks watches them, a newly published mark that
differs from one of its marks by a character appears in the same similar group, and the watch raises an alert
with its opposition deadline. Everything is marked as generated. A second call adds nothing.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ipoffice.entities.models import Entity

from .bulk import Owners, bulk_load, rows_with_header
from .generator import GENERATED, HEADER, NUMBER_BASE, MarkGenerator, Owner, vocabulary_items
from .models import LIVE_STATUSES, Trademark, TrademarkParty, Watch

DEMO_SEED = 2016


def _owners() -> tuple[list[Owner], Owners]:
    entities = list(Entity.objects.filter(is_generated=True).exclude(kind=Entity.Kind.AGENCY)
                    .order_by("pk").values_list("pk", "name", "address", "kind", "region_id"))
    owners = [Owner(name, address, kind, pk, region) for pk, name, address, kind, region in entities]
    return owners, Owners({o.name: (o.entity_id, o.region_id) for o in owners})


def generate_demo_marks(count: int = 2000, *, seed: int = DEMO_SEED, today: date | None = None) -> int:
    """Add ``count`` generated marks (first call only) and the watch story; returns the marks added."""
    if Trademark.objects.filter(is_generated=True).exists():
        return 0
    today = today or timezone.localdate()
    owners, known = _owners()
    generator = MarkGenerator(seed=seed, as_of=today, owners=owners or None, items=vocabulary_items(),
                              first_year=today.year - 12)
    rows = generator.chunk(0, count)
    with transaction.atomic():
        bulk_load(rows_with_header(rows), owners=known, source="generated demo")
        _watch_story(generator, today, count)
    return Trademark.objects.filter(is_generated=True).count()


def _watch_story(generator: MarkGenerator, today: date, count: int) -> None:
    """A watch of one owner's marks and a new publication that resembles one of them (see the module docstring)."""
    column = {name: i for i, name in enumerate(HEADER)}
    candidates = (Trademark.objects.filter(is_generated=True, status__in=LIVE_STATUSES, text_zh__regex=r"^.{3}$")
                  .exclude(region=None).order_by("pk"))
    for mark in candidates[:50]:
        owner = mark.parties.filter(role=TrademarkParty.Role.OWNER).exclude(entity=None).first()
        goods = list(mark.goods.all())
        if owner and goods:
            break
    else:
        return
    # The same characters but the last one (TM-R3), filed by another owner, published a fortnight ago.
    replacement = next(ch for ch in "星辰华美乐康" if ch != mark.text_zh[-1])
    text = mark.text_zh[:-1] + replacement
    other = next(o for o in generator.owners if o.name != owner.name)
    filed, published = today - timedelta(days=260), today - timedelta(days=14)
    row = [""] * len(HEADER)
    row[column["注册号"]] = str(NUMBER_BASE + count + 1)
    row[column["申请日"]] = filed.isoformat()
    row[column["国际分类"]] = str(goods[0].class_number)
    row[column["类似群"]] = goods[0].group_code
    row[column["商品/服务"]] = "；".join(f"{g.group_code} {g.item_code} {g.name}" for g in goods[:3])
    row[column["商标名称"]] = text
    row[column["商标类型"]] = "普通商标"
    row[column["商标形式"]] = "文字"
    row[column["申请人名称"]] = other.name
    row[column["申请人地址"]] = other.address
    row[column["初审公告日"]] = published.isoformat()
    row[column["商标状态"]] = "初审公告"
    row[column["商标流程"]] = (f"{filed.isoformat()} 商标注册申请---申请收文；"
                             f"{published.isoformat()} 商标注册申请---初审公告")
    row[column["数据来源"]] = GENERATED
    known = Owners({other.name: (other.entity_id, other.region_id)} if other.entity_id else None)
    bulk_load(rows_with_header([row]), owners=known, source="generated demo")
    watch, _ = Watch.objects.get_or_create(entity_id=owner.entity_id, defaults={"threshold": 0.5})
    try:
        from .watch import run_watch

        run_watch(watch, today=today)
    except ImportError:  # the similarity engine is not installed: the watch runs later
        pass
