"""Text from outside (a link's names and values, an uploaded file's name and lines) is shown
as typed on the playground, in Chromium: no link, image, bold, maths or colour made of it.

The page's own code spans (a setting's name such as `hidden`, a default such as `4,2`) are
the only markup its messages may hold.
"""

from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from helpers import LOAD_TIMEOUT_MS, assert_no_exception, open_page, screenshot

WORD_JOINER = "\u2060"  # ui.text.plain puts one inside bare addresses, so they are not links
CRAFTED = {
    "`**bold**`": "1",
    "[x](https://evil.example)": "1",
    "![i](https://evil.example/i.png)": "1",
    "https://evil.example www.evil.example": "1",
    ":red[x] $x^2$ <b>x</b> :material/home:": "1",
    "hidden": "`a` **b** [l](https://evil.example) ![i](https://evil.example/i.png)",
    "lr": ":red[x] $x^2$ <b>x</b> https://evil.example",
    "loss": ":material/home: :smile: ~~d~~ _e_",
}
OWN = {"hidden", "lr", "loss"}  # settings of the page, their values crafted
# Markup that would mean the outside text was read as Markdown (or HTML).
MARKUP = ("a", "img", "strong", "b", "em", "del", ".katex", "span[style*=color]",
          "[class*=ColoredText]", "[role=img]")  # :material/icon: is a span role=img
UPLOADER = "[data-testid=stSidebar] [data-testid=stFileUploaderDropzoneInput]"
CRAFTED_FILE = "**bold** [x](https://evil.example).csv"


def shown(box):
    """The text of a message box (without its icon's name), as a reader sees it."""
    text = box.locator("[data-testid=stMarkdownContainer]").inner_text()
    return text.replace(WORD_JOINER, "")


def assert_no_markup(box, allowed_code):
    """No element in the box's text but the page's own code spans (`allowed_code`)."""
    box = box.locator("[data-testid=stMarkdownContainer]")
    expect(box).to_have_count(1)
    for selector in MARKUP:
        expect(box.locator(selector)).to_have_count(0)
    for code in box.locator("code").all_inner_texts():
        assert code in allowed_code, code


def open_playground_csv(page: Page, app_url):
    """The playground with "Your own CSV file" chosen (by its link), waiting for the uploader."""
    open_page(page, app_url, "playground?data=csv")
    expect(page.locator(UPLOADER)).to_be_attached(timeout=LOAD_TIMEOUT_MS)
    assert_no_exception(page)


def test_a_crafted_link_is_shown_as_text_in_the_warning(page: Page, app_url):
    open_page(page, app_url, "playground?" + urlencode(CRAFTED))
    warning = page.locator("[data-testid=stAlertContentWarning]").filter(
        has_text="could not be used")
    expect(warning).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert_no_exception(page)
    assert_no_markup(warning, allowed_code=OWN | {"4,2", "0.03", "ce"})
    text = shown(warning)
    for name in set(CRAFTED) - OWN:
        assert f"“{name}”" in text, name
    assert f"loss = “{CRAFTED['loss']}”" in text
    assert f"hidden = “{CRAFTED['hidden'][:40]}…”" in text  # a long value is cut
    assert f"lr = “{CRAFTED['lr'][:40]}…”" in text
    expect(page.locator(".nnet")).to_contain_text("4 tanh")  # the defaults are used
    screenshot(page, "playground-crafted-link")


def test_a_bad_csv_with_a_crafted_name_is_named_as_text(page: Page, app_url):
    open_playground_csv(page, app_url)
    page.locator(UPLOADER).set_input_files(files=[{
        "name": CRAFTED_FILE, "mimeType": "text/csv",
        "buffer": b"x1,x2,label\n1,2,0\n3,**four** [y](https://evil.example),1\n"}])
    error = page.locator("[data-testid=stSidebar] [data-testid=stAlertContentError]")
    expect(error).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert_no_markup(error, allowed_code={"x1, x2, label", "0.5, -1.2, 1"})
    text = shown(error)
    # Chromium keeps the name as given ("/" is allowed in a File object's name)
    assert text.startswith(f"Could not use “{CRAFTED_FILE}”: "), text
    assert "line 3, column 2: '**four** [y](https://evil.example)' is not a number" in text
    expect(page.locator("[data-testid=stMain]")).to_contain_text("your CSV file could not be read")
    assert_no_exception(page)
    error.scroll_into_view_if_needed()
    screenshot(page, "playground-csv-crafted-name")


def test_a_csv_over_the_size_cap_gets_a_clear_message(page: Page, app_url):
    open_playground_csv(page, app_url)
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar).to_contain_text("1MB per file")  # the uploader says its limit
    big = b"x1,x2,label\n" + b"0.5,-1.25,1\n" * 100_000  # 1.2 MB
    page.locator(UPLOADER).set_input_files(files=[{
        "name": "big.csv", "mimeType": "text/csv", "buffer": big}])
    # Streamlit marks the file in red; its reason shows when pointed at (and to screen readers)
    chip = sidebar.locator("[data-testid=stFileChip]").filter(has_text="big.csv")
    expect(chip).to_have_attribute("aria-invalid", "true", timeout=LOAD_TIMEOUT_MS)
    expect(sidebar.get_by_role("alert")).to_have_text("Error: File must be 1.0MB or smaller.")
    expect(sidebar).to_contain_text("Files of up to 1 MB (10,000 points) are read: a larger one "
                                    "is marked in red and not uploaded")
    chip.hover()
    expect(page.get_by_text("File must be 1.0MB or smaller.", exact=True)).to_be_visible()
    assert_no_exception(page)
    expect(page.locator("[data-testid=stMain]")).to_contain_text("upload a CSV file")
    screenshot(page, "playground-csv-too-big")
