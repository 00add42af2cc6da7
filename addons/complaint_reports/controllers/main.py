from werkzeug.utils import send_file

from odoo import http
from odoo.http import request

from ..wizard.complaint_export_wizard import EXPORTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ComplaintExportController(http.Controller):
    @http.route(
        "/complaint_reports/export/<int:wizard_id>/<string:kind>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def export(self, wizard_id, kind):
        """Stream an export of the user's own export wizard from disk."""
        wizard = request.env["complaint.export.wizard"].browse(wizard_id).exists()
        if not wizard or kind not in EXPORTS:
            raise request.not_found()
        wizard.check_access("read")
        handle, filename = wizard._export_file(kind)
        return send_file(
            handle,
            request.httprequest.environ,
            mimetype=XLSX,
            as_attachment=True,
            download_name=filename,
            conditional=False,
            etag=False,
            response_class=http.Response,
        )
