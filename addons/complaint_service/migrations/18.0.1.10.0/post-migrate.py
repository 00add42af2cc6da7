"""18.0.1.10.0: the vehicle register. Vehicle models are the products whose
serial numbers complaints or repair orders name; each vehicle learns its plate
and owner from its latest complaint."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE product_template t
           SET is_vehicle = TRUE
          FROM product_product p
         WHERE p.product_tmpl_id = t.id
           AND t.tracking = 'serial'
           AND NOT COALESCE(t.is_vehicle, FALSE)
           AND (EXISTS (SELECT 1 FROM repair_order r WHERE r.product_id = p.id)
                OR EXISTS (SELECT 1 FROM complaint_complaint c
                             JOIN stock_lot l ON l.id = c.lot_id
                            WHERE l.product_id = p.id))
        """
    )
    cr.execute(
        """
        WITH latest AS (
            SELECT DISTINCT ON (c.lot_id) c.lot_id, c.license_plate, c.partner_id
              FROM complaint_complaint c
             WHERE c.lot_id IS NOT NULL
             ORDER BY c.lot_id, c.date_received DESC, c.id DESC
        )
        UPDATE stock_lot l
           SET license_plate = COALESCE(l.license_plate, NULLIF(latest.license_plate, '')),
               vehicle_owner_id = COALESCE(l.vehicle_owner_id, latest.partner_id)
          FROM latest
         WHERE latest.lot_id = l.id
           AND (l.license_plate IS NULL OR l.vehicle_owner_id IS NULL)
        """
    )
