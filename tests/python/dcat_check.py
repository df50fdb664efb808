"""abierto's DCAT catalog, read with rdflib from PyPI: the Turtle and the JSON-LD parse, say
the same thing, and carry what DCAT-AP 3 asks of a catalog, its datasets and distributions.

Run against a server holding León's demo data: `python dcat_check.py http://127.0.0.1:PORT`.
"""
import sys
import urllib.request

from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

address = sys.argv[1].rstrip("/")


def fetch(path):
    with urllib.request.urlopen(address + path) as response:
        return response.headers.get("content-type"), response.read().decode("utf-8")


def without_paging(graph):
    kept = Graph()
    for s, p, o in graph:
        if not (str(p).startswith(str(HYDRA)) or (p == RDF.type and str(o).startswith(str(HYDRA)))):
            kept.add((s, p, o))
    return kept


kind, turtle = fetch("/catalog.ttl")
assert kind.startswith("text/turtle"), kind
ttl = Graph().parse(data=turtle, format="turtle")
kind, jsonld = fetch("/catalog.jsonld")
assert kind.startswith("application/ld+json"), kind
ld = Graph().parse(data=jsonld, format="json-ld")
assert isomorphic(without_paging(ttl), without_paging(ld)), "Turtle and JSON-LD differ"

catalog = URIRef(address + "/catalog")
assert (catalog, RDF.type, DCAT.Catalog) in ttl
for required in (DCT.title, DCT.description, DCT.publisher):
    assert ttl.value(catalog, required) is not None, required
datasets = list(ttl.objects(catalog, DCAT.dataset))
# The demo's published upload and the five datasets the platform makes of its own records.
assert len(datasets) == 6, datasets
for dataset in datasets:
    for required in (DCT.title, DCT.description, DCAT.keyword, DCT.publisher,
                     DCAT.contactPoint, DCT.temporal, DCAT.theme):
        assert ttl.value(dataset, required) is not None, (dataset, required)
    assert ttl.value(dataset, DCT.title).language == "es"
    for distribution in ttl.objects(dataset, DCAT.distribution):
        for required in (DCAT.accessURL, DCT["format"], DCT.license):
            assert ttl.value(distribution, required) is not None, (distribution, required)
assert ttl.value(URIRef(address + "/catalog.ttl?page=1"), HYDRA.totalItems).toPython() == 6
dataset = URIRef(address + "/datos-abiertos/conjuntos/visitas-centros-comunitarios")
assert dataset in datasets, datasets

kind, one = fetch("/dataset/visitas-centros-comunitarios.jsonld")
single = Graph().parse(data=one, format="json-ld")
assert (dataset, RDF.type, DCAT.Dataset) in single
assert str(single.value(dataset, DCT.title)) == "Visitas a los centros comunitarios"

print(f"rdflib against {address}: the DCAT catalog checks passed")
