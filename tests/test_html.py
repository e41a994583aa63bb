from __future__ import annotations

from tests.html import visible_text

PAGE = (
    "<html><head><title>Hola</title><script>var Play = 1;</script><style>b{}</style></head>"
    "<body><header>Browse</header><main><p title=Consejo>Texto <b>aquí</b></p>"
    '<input type="submit" value="Enviar"><input type="text" value="Marta" placeholder="Nombre">'
    '<button name="do" value="Guardar">Vale</button><div data-label="Fecha">1</div>'
    '<form data-confirm="¿Seguro que sí?" data-url="/a b/"></form><code>BCDF</code>'
    '<p id="shared">Cancel</p><template><b aria-label="Etiqueta">Oculto</b></template>'
    "</main><footer>Help</footer></body></html>"
)


def test_the_whole_page_is_text_and_word_attributes_without_scripts_or_styles():
    assert visible_text(PAGE) == (
        "Hola Browse Consejo Texto aquí Enviar Nombre Guardar Vale Fecha 1 ¿Seguro que sí? "
        "BCDF Cancel Etiqueta Help"
    )


def test_within_reads_one_element_and_the_title():
    html = (
        '<title>Hola</title><header>Browse</header><main><p title="Consejo">Texto</p>'
        '<script>var Play = 1;</script><input type="submit" value="Enviar">'
        '<div data-label="Fecha">1</div></main>'
    )
    assert visible_text(html, within="main") == "Hola Consejo Texto Enviar Fecha 1"
    assert visible_text(PAGE, within="main").startswith("Hola Consejo Texto")
    assert "Browse" not in visible_text(PAGE, within="main")
    assert "Help" not in visible_text(PAGE, within="main")
    assert visible_text(PAGE, within="header") == "Hola Browse"


def test_hidden_tags_keep_their_text_out_and_foreign_elements_are_left_out_whole():
    assert "BCDF" not in visible_text(PAGE, hidden={"code"})
    assert "Cancel" not in visible_text(PAGE, foreign=[("id", "shared")])
    assert "Cancel" in visible_text(PAGE, foreign=[("id", "other")])


def test_character_references_and_whitespace_read_as_a_person_sees_them():
    assert visible_text("<p>Sí,\n   &laquo;ya&raquo;&nbsp;</p><br><p>vale</p>") == "Sí, «ya» vale"
