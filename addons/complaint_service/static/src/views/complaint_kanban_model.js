import { RelationalModel } from "@web/model/relational_model/relational_model";
import { getFieldsSpec } from "@web/model/relational_model/utils";
import { orderByToString } from "@web/search/utils/order_by";

/**
 * The complaints' kanban asks for its columns and the first cards of each open
 * column in one request: `web_read_group` with `unfold_read_specification`
 * (complaint.complaint), as later versions of Odoo unfold groups. The web
 * client of 18.0 asks each column's cards in a request of its own, all at
 * once, and each reads the same customers, people and departments again.
 *
 * A column whose first page was read with the columns is not asked again; any
 * other read (the next page, a column opened later, a column with a limit of
 * its own) goes to the server as before.
 */
export class ComplaintKanbanModel extends RelationalModel {
    setup() {
        super.setup(...arguments);
        this.firstPages = new Map();
    }

    /**
     * What the web client asks for a column's first page (`_loadData`, then
     * `_loadUngroupedList`), as the key of the pages read with the columns.
     */
    _pageRequest(config, limit, countLimit) {
        return {
            specification: getFieldsSpec(config.activeFields, config.fields, config.context),
            order: orderByToString(config.orderBy.filter((o) => o.name !== "__count")),
            limit,
            count_limit: countLimit !== Number.MAX_SAFE_INTEGER ? countLimit + 1 : undefined,
        };
    }

    _pageKey(domain, request) {
        return JSON.stringify([
            domain,
            request.specification,
            request.order,
            request.limit,
            request.count_limit,
        ]);
    }

    async _webReadGroup(config, orderBy) {
        if (config.groupBy.length !== 1 || this.orm.isSample) {
            return super._webReadGroup(...arguments);
        }
        const limit = this.initialLimit;
        const page = this._pageRequest(config, limit, Math.max(this.initialCountLimit, limit));
        const aggregates = Object.values(config.fields)
            .filter((field) => field.aggregator && field.name in config.activeFields)
            .map((field) => `${field.name}:${field.aggregator}`);
        const response = await this.orm.webReadGroup(
            config.resModel,
            config.domain,
            aggregates,
            [config.groupBy[0]],
            {
                orderby: orderByToString(orderBy),
                lazy: true,
                offset: config.offset,
                limit: config.limit,
                context: config.context,
                unfold_read_specification: page.specification,
                unfold_read_default_limit: page.limit,
                unfold_count_limit: page.count_limit,
                unfold_order: page.order,
            }
        );
        for (const group of response.groups) {
            if ("__records" in group) {
                this.firstPages.set(this._pageKey(group.__domain, page), group.__records);
                delete group.__records;
            }
        }
        return response;
    }

    async _loadGroupedList(config) {
        try {
            return await super._loadGroupedList(config);
        } finally {
            this.firstPages.clear();
        }
    }

    async _loadUngroupedList(config) {
        if (!config.offset && this.firstPages.size) {
            const key = this._pageKey(
                config.domain,
                this._pageRequest(config, config.limit, config.countLimit)
            );
            const page = this.firstPages.get(key);
            if (page) {
                this.firstPages.delete(key);
                return page;
            }
        }
        return super._loadUngroupedList(config);
    }
}
