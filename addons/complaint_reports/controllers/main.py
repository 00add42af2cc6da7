from werkzeug.exceptions import BadRequest
from werkzeug.utils import send_file

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from ..wizard.complaint_export_wizard import EXPORTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ComplaintExportController(http.Controller):
    @http.route(
        "/complaint_reports/export/<string:kind>",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def export(self, kind, date_from=None, date_to=None, company_id=None, team_ids=None):
        """Stream an export from disk, as the user (their record rules).
        Read-only: with a read replica configured (db_replica_host) it runs
        there, and a year's register does not load the primary."""
        if kind not in EXPORTS:
            raise request.not_found()
        try:
            wizard = request.env["complaint.export.wizard"]._from_params(
                date_from, date_to, company_id, team_ids
            )
        except (TypeError, ValueError) as error:
            raise BadRequest() from error
        except AccessError:
            raise request.not_found() from None
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
