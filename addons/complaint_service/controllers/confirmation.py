import werkzeug.exceptions

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.misc import get_lang


class ComplaintConfirmation(http.Controller):
    """The customer's page to confirm a solution (/complaint/confirm/<id>),
    opened from the link of the e-mail or SMS: public, behind the complaint's
    access token; anything else is a 404 that tells nothing."""

    def _complaint_or_404(self, complaint_id, access_token):
        complaint = request.env["complaint.complaint"].sudo().browse(complaint_id).exists()
        if not complaint or not complaint._self_service_check(access_token):
            raise werkzeug.exceptions.NotFound()
        return complaint

    def _render(self, complaint, access_token, **values):
        """The page in the customer's language; Chinese when they have none."""
        Lang = request.env["res.lang"].sudo()
        lang = complaint.partner_id.lang
        if not lang or not Lang._lang_get(lang):
            lang = "zh_CN" if Lang._lang_get("zh_CN") else get_lang(request.env).code
        complaint = complaint.with_context(lang=lang)
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(
                "complaint_service.confirmation_page",
                {
                    "complaint": complaint,
                    "access_token": access_token,
                    "pending": bool(complaint._self_service_pending()),
                    "scores": ["1", "2", "3", "4", "5"],
                    **values,
                },
            )
        )

    @http.route(
        "/complaint/confirm/<int:complaint_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def confirmation_page(self, complaint_id, access_token=None, **kwargs):
        complaint = self._complaint_or_404(complaint_id, access_token)
        return self._render(complaint, access_token)

    @http.route(
        "/complaint/confirm/<int:complaint_id>/answer",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def confirmation_answer(
        self, complaint_id, access_token=None, outcome=None, score=None, comment=None, **kwargs
    ):
        complaint = self._complaint_or_404(complaint_id, access_token)
        try:
            with request.env.cr.savepoint():
                recorded = complaint._self_service_answer(outcome, score, comment)
        except UserError as error:
            return self._render(
                complaint,
                access_token,
                error=error.args[0],
                outcome=outcome,
                score=score,
                comment=comment,
            )
        return self._render(complaint, access_token, answered=recorded, refused=not recorded)
