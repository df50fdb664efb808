"""abierto's CKAN-compatible API, read with the real `ckanapi` client from PyPI.

Run against a server holding León's demo data: `python compat.py http://127.0.0.1:PORT`.
Each check asserts what a CKAN client relies on; any incompatibility raises and exits non-zero.
"""
import json
import sys

import ckanapi

address = sys.argv[1]
site = ckanapi.RemoteCKAN(address, user_agent="abierto-compat-test")
get_only = ckanapi.RemoteCKAN(address, user_agent="abierto-compat-test", get_only=True)

# The datasets the platform publishes from its own records, beside the demo's upload.
OWN_RECORDS = [
    "acuerdos-mi-barrio-habla",
    "convocatorias-y-sus-resultados",
    "metas-del-plan-de-accion",
    "obras-de-presupuesto-participativo",
    "sesiones-orden-del-dia-y-votaciones",
]

for ckan in (site, get_only):
    # By GET, an object travels as its JSON text, as CKAN expects in a query string.
    as_param = json.dumps if ckan is get_only else (lambda value: value)
    # Listing and showing.
    names = ckan.action.package_list()
    assert names == sorted(["visitas-centros-comunitarios"] + OWN_RECORDS), names
    dataset = ckan.action.package_show(id="visitas-centros-comunitarios")
    assert dataset["title"] == "Visitas a los centros comunitarios", dataset
    assert dataset["organization"]["name"] == "dgti-gobierno-digital"
    assert dataset["license_id"] == "CC-BY-4.0"
    assert [g["name"] for g in dataset["groups"]] == ["soci"]
    resource = dataset["resources"][0]
    assert resource["format"] == "CSV" and resource["datastore_active"] is True, resource
    assert ckan.action.resource_show(id=resource["id"])["name"] == resource["name"]
    orgs = ckan.action.organization_list()
    assert "unidad-de-transparencia" in orgs, orgs
    org = ckan.action.organization_show(id="dgti-gobierno-digital", include_datasets=True)
    assert [p["name"] for p in org["packages"]] == ["visitas-centros-comunitarios"]
    assert "soci" in ckan.action.group_list()
    assert ckan.action.status_show()["locale_default"] == "es_MX"

    # Searching, with paging and facets.
    found = ckan.action.package_search(q="centros comunitarios", rows=1, start=0,
                                       **{"facet.field": ["organization", "res_format"]})
    assert found["count"] == 1 and len(found["results"]) == 1, found
    items = found["search_facets"]["res_format"]["items"]
    assert items == [{"name": "CSV", "display_name": "CSV", "count": 1}], items
    assert ckan.action.package_search(q="centros", start=1)["results"] == []
    assert ckan.action.package_search(fq="groups:educ")["count"] == 0
    assert ckan.action.package_search(fq="organization:dgti-gobierno-digital")["count"] == 1

    # The datastore: filters, text, sort, fields and paging.
    rid = resource["id"]
    page = ckan.action.datastore_search(resource_id=rid, limit=5)
    assert page["total"] == 180 and len(page["records"]) == 5, page["total"]
    assert [f["id"] for f in page["fields"]][:3] == ["_id", "folio", "fecha"]
    piletas = ckan.action.datastore_search(
        resource_id=rid, filters=as_param({"centro": "Centro Comunitario Piletas"}), limit=1000)
    assert piletas["total"] > 0
    assert all(r["centro"] == "Centro Comunitario Piletas" for r in piletas["records"])
    by_text = ckan.action.datastore_search(resource_id=rid, q="zumba", limit=1000)
    assert by_text["total"] > 0
    assert all(r["actividad"] == "Clase de zumba" for r in by_text["records"])
    top = ckan.action.datastore_search(resource_id=rid, sort="visitantes desc", limit=3,
                                       fields=["folio", "visitantes"])
    counts = [r["visitantes"] for r in top["records"]]
    assert counts == sorted(counts, reverse=True), counts
    assert set(top["records"][0]) == {"_id", "folio", "visitantes"}, top["records"][0]
    second = ckan.action.datastore_search(resource_id=rid, limit=5, offset=5)
    assert [r["_id"] for r in second["records"]] == [6, 7, 8, 9, 10]

    # Errors come as CKAN's exceptions.
    def raises(kind, call, **kwargs):
        try:
            call(**kwargs)
        except kind:
            return
        raise AssertionError(f"{call} {kwargs} did not raise {kind.__name__}")

    raises(ckanapi.NotFound, ckan.action.package_show, id="no-existe")
    raises(ckanapi.NotAuthorized, ckan.action.package_show, id="apoyos-educativos-2026")
    raises(ckanapi.NotFound, ckan.action.datastore_search, resource_id="999999")
    raises(ckanapi.ValidationError, ckan.action.package_search, rows=1001)
    raises(ckanapi.ValidationError, ckan.action.package_search, q="x", nonsense="1")
    raises(ckanapi.ValidationError, ckan.action.datastore_search, resource_id=rid,
           filters=as_param({"no_such_column": "x"}))
    raises(ckanapi.SearchQueryError, ckan.action.package_search, fq="color:rojo")
    # Writes exist in CKAN: a client without rights hears NotAuthorized, not "unknown".
    raises(ckanapi.NotAuthorized, ckan.action.package_create, name="nuevo", owner_org="x")
    raises(ckanapi.NotAuthorized, ckan.action.resource_create, package_id="x", url="y")
    raises(ckanapi.NotAuthorized, ckan.action.datastore_upsert, resource_id=rid, records=[])
    raises(ckanapi.NotAuthorized, ckan.action.package_delete, id="visitas-centros-comunitarios")
    # The search answers a resource as package_show does, and can skip the count.
    searched = ckan.action.package_search(q="centros comunitarios")["results"][0]["resources"][0]
    assert searched == resource, (searched, resource)
    uncounted = ckan.action.datastore_search(resource_id=rid, limit=2, include_total=False)
    assert "total" not in uncounted and len(uncounted["records"]) == 2, uncounted
    assert uncounted["include_total"] is False
    try:
        ckan.call_action("no_such_action")
        raise AssertionError("an unknown action was answered")
    except ckanapi.CKANAPIError as error:
        assert "Action name not known: no_such_action" in str(error), error
        assert "400" in str(error), error

print(f"ckanapi against {address}: every check passed, by POST and by GET")
