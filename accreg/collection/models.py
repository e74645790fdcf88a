"""The accountant's record (信息档案): one per person, sections kept as they were saved (drafts)."""

from django.db import models

from accreg.accounts.models import Person
from accreg.regions.models import Department


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "未提交"
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "审核退回"


class Record(models.Model):
    """信息档案: the sections of FIELDS.md as the person last saved them, in `sections`
    ({"personal": {...}, "qualifications": [...]}). `version` grows with every save, so a later
    submission can freeze exactly what was seen."""

    person = models.OneToOneField(Person, verbose_name="会计人员", on_delete=models.CASCADE, related_name="record")
    sections = models.JSONField("信息项", default=dict, blank=True)
    status = models.CharField("状态", max_length=16, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    version = models.PositiveIntegerField("版本", default=0)
    # Where the record was last submitted and what it said, for statistics over a department subtree.
    department = models.ForeignKey(
        Department, verbose_name="受理部门", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    employment = models.CharField("在岗状态", max_length=40, default="", blank=True)
    education_level = models.CharField("全日制最高学历", max_length=8, default="", blank=True)
    qualification_level = models.CharField("最高专业技术资格级别", max_length=8, default="", blank=True)
    # The approved submission in force (人员档案): a change or a transfer replaces it only when approved.
    archive = models.ForeignKey(
        "Submission", verbose_name="现行档案", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Per section, the stamp of its values as cleaned by the last save under the rules then in
    # force (clean_stamps): a read need not clean them again while the stamp still matches.
    clean_stamps = models.JSONField("已核验信息项", default=dict, blank=True)
    notice_shown_at = models.DateTimeField("首次打开须知时间", null=True, blank=True)
    notice_accepted_at = models.DateTimeField("同意须知时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "信息档案"

    def __str__(self) -> str:
        return f"{self.person}的信息档案"


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "审核退回"


class RequestKind(models.TextChoices):
    CHANGE = "change", "信息变更"
    TRANSFER = "transfer", "调转"


# What a submission asks the department to review (queue column, filter and history).
SUBMISSION_KINDS = {"collection": "信息采集", **dict(RequestKind.choices)}


class RequestStatus(models.TextChoices):
    OPEN = "open", "办理中"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


class ChangeRequest(models.Model):
    """信息变更 or 调转 of an approved record. A change edits the sections on the record (the working
    copy) while `Record.archive` stays as approved; it may be returned and resubmitted, or withdrawn.
    A transfer moves the record to `to_department`, which reviews it; the sending department sees
    it read only until it is decided."""

    record = models.ForeignKey(Record, verbose_name="信息档案", on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField("类型", max_length=16, choices=RequestKind.choices)
    status = models.CharField("状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    base = models.ForeignKey("Submission", verbose_name="申请时的档案", on_delete=models.PROTECT, related_name="+")
    from_department = models.ForeignKey(
        Department, verbose_name="原管理部门", on_delete=models.PROTECT, related_name="+"
    )
    to_department = models.ForeignKey(
        Department, verbose_name="调入部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("申请理由", max_length=500, blank=True)
    opened_at = models.DateTimeField("申请时间", auto_now_add=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更与调转申请"
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(status="open"), name="one_open_request_per_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"


class Submission(models.Model):
    """报送: the record as it was when submitted (a frozen snapshot of sections and materials),
    for the department of the collection place. Review acts on the snapshot, never the draft."""

    record = models.ForeignKey(Record, verbose_name="信息档案", on_delete=models.CASCADE, related_name="submissions")
    kind = models.CharField("类型", max_length=16, default="collection")
    snapshot = models.JSONField("提交时的信息")
    record_version = models.PositiveIntegerField("提交时的档案版本")
    # The department whose queue, search and statistics hold it now (a transfer moves the record's
    # submissions); `handled_by` is the department that received and reviewed it, never changed.
    department = models.ForeignKey(
        Department, verbose_name="受理部门", on_delete=models.PROTECT, related_name="submissions"
    )
    handled_by = models.ForeignKey(
        Department, verbose_name="办理部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        ChangeRequest,
        verbose_name="变更或调转申请",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    status = models.CharField("状态", max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING)
    version = models.PositiveIntegerField("版本", default=1)  # a decision names the version it saw
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    due_by = models.DateField("应办结日期")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    reason = models.TextField("退回原因", blank=True)
    fields = models.JSONField("需修改的内容", default=list, blank=True)
    decided_by = models.ForeignKey(
        "accounts.Staff", verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the snapshot when submitted, so the queue filters and searches without reading JSON.
    person_name = models.CharField("姓名", max_length=50, default="", db_index=True)
    unit_name = models.CharField("工作单位", max_length=200, default="", blank=True)
    employment = models.CharField("在岗状态", max_length=40, default="", blank=True)
    qualification_level = models.CharField("最高专业技术资格级别", max_length=8, default="", blank=True)
    # False once the same item (the collection, or one change request) is submitted again: the
    # queue's tabs and counts show each person's item in its latest state only.
    latest = models.BooleanField("最新一次报送", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "报送"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["department", "status", "submitted_at", "id"], name="submission_queue_by_department"),
            models.Index(fields=["status", "submitted_at", "id"], name="submission_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(status="pending"), name="one_pending_submission_per_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record.person}（{self.get_status_display()}）"


class SubmissionCount(models.Model):
    """How many submissions each department holds in each status, kept in step with every submit
    and decision (same transaction), so a province's queue shows its counts without counting a
    million rows."""

    department = models.ForeignKey(Department, verbose_name="受理部门", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("状态", max_length=16, choices=SubmissionStatus.choices)
    n = models.PositiveIntegerField("数量", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "报送数量"
        constraints = [models.UniqueConstraint(fields=["department", "status"], name="one_count_per_status")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.status}: {self.n}"


class CertificateNumber(models.Model):
    """证书编号索引: each certificate number a person's latest submission states, normalised, so the
    reviewer's duplicate guard finds another person stating the same number by one index probe
    instead of reading every record's JSON (decision 0029). Replaced at each submission."""

    number = models.CharField("证书编号（规范化）", max_length=64)
    person = models.ForeignKey(
        Person, verbose_name="会计人员", on_delete=models.CASCADE, related_name="certificate_numbers"
    )
    field = models.CharField("所在信息项", max_length=64)  # "qualifications.0.certificate_number"
    submission = models.ForeignKey(Submission, verbose_name="报送", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "证书编号索引"
        # Only equality is asked: a plain index, without db_index's second LIKE index on PostgreSQL.
        indexes = [models.Index(fields=["number"], name="certificate_number_lookup")]
        constraints = [models.UniqueConstraint(fields=["person", "field"], name="one_number_per_person_field")]

    def __str__(self) -> str:
        return f"{self.field}: {self.number}"
