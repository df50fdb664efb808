"""Publishes a generated table through abierto's own pages, as a publisher and an officer do.

    python3 publish.py http://127.0.0.1:PORT ROWS

Signs in as the demo's data publisher, creates a dataset, uploads a seeded CSV of ROWS
community-centre visits, signs in as the Unidad de Transparencia and approves the version,
which loads the datastore. Prints the resource id. Standard library only.
"""
import http.cookiejar
import json
import random
import re
import sys
import urllib.parse
import urllib.request

address, rows = sys.argv[1], int(sys.argv[2])
COLONIAS = ["Piletas", "Las Joyas", "San Juan de Dios", "El Coecillo", "Obregón", "Killian",
            "Los Castillos", "San Francisco", "Valle de Señora", "Jardines de Jerez"]
ACTIVIDADES = ["Clase de zumba", "Taller de computación", "Asesoría jurídica", "Biblioteca",
               "Consulta médica"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def session():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def send(opener, path, data=None, headers=None):
    request = urllib.request.Request(address + path, data=data, headers=headers or {})
    try:
        with opener.open(request) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


def token(opener, path):
    status, _, html = send(opener, path)
    assert status == 200, (path, status)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1), html


def sign_in(email, password):
    opener = session()
    csrf, _ = token(opener, "/entrar")
    form = urllib.parse.urlencode({"csrf_token": csrf, "siguiente": "/", "email": email,
                                   "password": password}).encode()
    status, _, _ = send(opener, "/entrar", form)
    assert status == 303, ("sign in", email, status)
    return opener


def post_form(opener, path, fields):
    csrf, _ = token(opener, "/aviso-de-privacidad")
    body = urllib.parse.urlencode({"csrf_token": csrf, **fields}).encode()
    return send(opener, path, body)


def post_file(opener, path, name, content):
    csrf, _ = token(opener, "/aviso-de-privacidad")
    boundary = "abierto-bench-boundary"
    parts = []
    for key, value in (("csrf_token", csrf), ("name", "Visitas")):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 f'Content-Type: text/csv\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return send(opener, path, b"".join(parts), headers)


def table():
    rng = random.Random(2026)
    lines = ["folio,fecha,colonia,actividad,visitantes,monto"]
    for folio in range(1, rows + 1):
        lines.append(f"{folio},2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},"
                     f"{rng.choice(COLONIAS)},{rng.choice(ACTIVIDADES)},{rng.randint(1, 200)},"
                     f"{rng.randint(0, 500000) / 100:.2f}")
    return ("\n".join(lines) + "\n").encode()


publisher = sign_in("datos@leon.example", "demo-datos-abiertos")
_, page = token(publisher, "/datos-abiertos/publicar")
dgti = re.search(r'<option value="(\d+)"[^>]*>Dirección General de Tecnologías', page).group(1)
status, headers, _ = post_form(publisher, "/datos-abiertos/publicar", {
    "publisher": dgti, "title": "Visitas de prueba de carga", "name": "visitas-carga",
    "description": "Tabla generada para medir datastore_search.", "keywords": "prueba",
    "theme": "SOCI", "license": "CC-BY-4.0", "frequency": "NEVER", "temporal_start": "",
    "temporal_end": "", "spatial": "León, Guanajuato", "contact_name": "DGTI",
    "contact_email": "datos.abiertos@leon.example"})
assert status == 303, ("dataset", status)
status, headers, html = post_file(publisher, headers["Location"] + "/recursos", "visitas.csv", table())
assert status == 303, ("upload", status, html[:500])
version = headers["Location"]

officer = sign_in("transparencia@leon.example", "demo-secretariado")
status, _, html = post_form(officer, version + "/aprobar", {})
assert status == 303, ("approve", status, html[:500])
status, _, body = send(session(), "/api/3/action/package_show?id=visitas-carga")
resource = json.loads(body)["result"]["resources"][0]
assert resource["datastore_active"], resource
print(resource["id"])
