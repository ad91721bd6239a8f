"""The clerk's attestation form for one paper material (柜员核验): the figures read from the paper,
with the fields the policy file lists for that material, and the document-camera scan reference.
Embedded in the intake screen under the checklist; it shows the form of the selected material."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from counter_app.context import CounterContext
from domain.attestation import MaterialForm, load_attestation_policy

_HINT = {"date": ("YYYY-MM-DD", "YYYY-MM-DD"), "amount": ("元，如 1234.50", "yuan, e.g. 1234.50"),
         "id_number": ("18 位身份证号", "18-character ID number"), "text": ("", "")}


class AttestationForm(QGroupBox):
    """Fields of one material's form; `submit(material, figures, scan_ref)` is called on Record."""

    def __init__(self, ctx: CounterContext, submit: Callable[[str, dict[str, Any], str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attestation")
        self.ctx, self._submit = ctx, submit
        self.policy = load_attestation_policy()
        self.form_spec: MaterialForm | None = None
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        outer = QVBoxLayout(self)
        self.intro = QLabel(objectName="attest-intro")
        self.intro.setWordWrap(True)
        outer.addWidget(self.intro)
        self.fields = QFormLayout()
        outer.addLayout(self.fields)
        self.scan_ref = QLineEdit(objectName="scan-ref")
        self.scan_ref.setMaximumWidth(360)
        self.scan_label = QLabel()
        self.fields.addRow(self.scan_label, self.scan_ref)  # the last row stays; material rows go above it
        self.record_btn = QPushButton(objectName="record-attestation")
        self.record_btn.clicked.connect(self._record)
        outer.addWidget(self.record_btn)
        self.hide()

    def show_for(self, material: str | None, name: tuple[str, str], *, scan_ref: str = "",
                 done: dict[str, Any] | None = None) -> None:
        """The form of `material` (hidden when it has none); `done` = an attestation already recorded."""
        spec = self.policy.form(material) if material else None
        same = spec is not None and self.form_spec is not None and self.form_spec.material == spec.material
        typed = self.figures() if same else {}  # a language switch redraws the form: keep what was typed
        typed_scan = self.scan_ref.text() if same else ""
        self.form_spec = spec
        while self.fields.rowCount() > 1:
            self.fields.removeRow(0)
        self.inputs = {}
        if spec is None:
            self.hide()
            return
        self.setTitle(self.tr("Attest the paper: %1").replace("%1", self.ctx.pick(*name)))
        self.intro.setText(self.tr(
            "Copy the figures from the original. They become a fact for the centre only after a supervisor "
            "approves the case; the centre records you as the clerk who checked it."))
        figures = (done or {}).get("figures") or typed
        for f in spec.fields:
            widget: QLineEdit | QComboBox
            if f.type == "yes_no":
                widget = QComboBox()
                widget.addItem(self.ctx.pick("是", "yes"), "yes")
                widget.addItem(self.ctx.pick("否", "no"), "no")
                if figures.get(f.name) in (False, "no"):
                    widget.setCurrentIndex(1)
            else:
                widget = QLineEdit()
                widget.setPlaceholderText(self.ctx.pick(*_HINT[f.type]))
                widget.setText(str(figures.get(f.name, "")))
            widget.setObjectName(f"attest-{f.name}")
            widget.setMaximumWidth(360)
            label = self.ctx.pick(f.zh, f.en) + ("" if f.required else self.ctx.pick("（选填）", " (optional)"))
            self.fields.insertRow(self.fields.rowCount() - 1, label, widget)
            self.inputs[f.name] = widget
        self.scan_ref.setText((done or {}).get("scan_ref", "") or typed_scan or scan_ref)
        self.scan_ref.setPlaceholderText(self.tr("Capture it first, or type the scan number"))
        self.scan_label.setText(self.tr("Document-camera scan"))
        self.record_btn.setText(self.tr("Attestation recorded (record again)") if done else
                                self.tr("Record the attestation"))
        self.show()

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            out[name] = widget.currentData() if isinstance(widget, QComboBox) else widget.text().strip()
        return out

    def _record(self) -> None:
        if self.form_spec is not None:
            self._submit(self.form_spec.material, self.figures(), self.scan_ref.text().strip())
