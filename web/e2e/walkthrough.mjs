// The web app in a real browser (Debian's Chromium, driven by playwright-core): a salesperson takes a contact from
// capture to order only by clicking and typing, meets a blocked move and its unmet tasks, and finds the new customer
// on the board and in the funnel; then the same in Polish and on a phone-sized screen. Screenshots go to the folder
// given (the README shows them). Usage: node web/e2e/walkthrough.mjs <gateway-url> <screenshot-folder>
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [gateway, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const unique = Date.now().toString(36);
const user = `web-${unique}`;
const name = `Grace Browser ${unique}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const step = (text) => console.log(`step: ${text}`);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
  page.setDefaultTimeout(20_000);
  const stage = (text) => page.locator(".badge.stage", { hasText: new RegExp(`^${text}$`) }).waitFor();
  const click = (name) => page.getByRole("button", { name, exact: true }).click();
  // A control by its label's text (a label's accessible name also holds the value of the control inside it).
  const choose = (text) => page.getByRole("combobox", { name: new RegExp(`^${text}`) });
  const label = (text) => page.getByLabel(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z])`));

  step("sign in as a salesperson at the issuer's page (locally the development issuer's: any user and role)");
  await page.goto(gateway);
  await click("Sign in");
  await page.waitForURL(/\/authorize\?/);
  await label("User").fill(user);
  await choose("Role").selectOption("salesperson");
  await click("Sign in");
  await page.getByRole("link", { name: "New lead" }).waitFor();

  step("capture a lead: a missing email and phone is shown beside the fields");
  await page.getByRole("link", { name: "New lead" }).click();
  await label("Name").fill(name);
  await click("Save");
  await page.locator(".field-error").first().waitFor();
  await label("Company").fill("Compilers Ltd");
  await label("Email").fill(`grace.${unique}@compilers.example`);
  await label("Phone").fill("+44 20 7946 0123");
  await click("Save");
  await stage("Lead");

  step("qualify it: the contact moves to Qualification");
  await click("Qualify");
  await stage("Qualified lead");

  step("promote too early: the blocked move lists its unmet tasks");
  await click("Promote to prospect");
  const blocked = page.getByRole("alert");
  await blocked.getByText("First interaction logged").waitFor();
  await blocked.getByText("Credit approved").waitFor();

  step("do the tasks: first interaction, interest, credit check; promote");
  await label("Summary").fill("Intro call: needs two units");
  await click("Log interaction");
  await page.locator(".checklist .done", { hasText: "First interaction logged" }).waitFor();
  await click("Confirm interest");
  await page.locator(".checklist .done", { hasText: "Interest confirmed" }).waitFor();
  await label("Requested limit").fill("20000");
  await click("Credit check");
  await page.locator(".checklist .done", { hasText: "Credit approved" }).waitFor();
  await page.screenshot({ path: `${shots}/contact.png`, fullPage: true });
  await click("Promote to prospect");
  await stage("Prospect");

  step("build a quote: the total follows the lines as they are typed");
  await label("SKU 1").fill("AE-1");
  await label("Description 1").fill("Difference engine");
  await label("Quantity 1").fill("2");
  await label("Unit price 1").fill("1234.50");
  await label("Discount % 1").fill("10");
  await page.locator("output", { hasText: "2,222.10" }).waitFor();
  await click("Draft quote");
  await click("Send");
  await click("Accept");
  await stage("Customer");

  step("the board shows the new customer");
  await page.getByRole("link", { name: "Board" }).click();
  await page.getByRole("region", { name: "Customer" }).getByRole("link", { name }).waitFor();
  await page.screenshot({ path: `${shots}/board.png`, fullPage: true });

  step("the funnel counts the sale");
  await page.getByRole("link", { name: "Funnel" }).click();
  const customers = page.getByRole("row", { name: /^Customer/ });
  await customers.waitFor();
  if (!/Customer\s+1\b/.test(await customers.innerText())) throw new Error(`funnel row: ${await customers.innerText()}`);
  await page.getByRole("cell", { name: user }).waitFor();
  await page.screenshot({ path: `${shots}/funnel.png`, fullPage: true });

  step("in Polish, money and dates as Polish writes them");
  await choose("Language").selectOption("pl");
  await page.getByRole("link", { name: "Tablica" }).click();
  await page.getByRole("region", { name: "Klient" }).getByRole("link", { name }).click();
  await page.getByText(/2\s?222,10\s€/).first().waitFor();

  step("on a phone-sized screen the board is one readable column");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("link", { name: "Tablica" }).click();
  await page.getByRole("region", { name: "Klient" }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) throw new Error(`the board is ${overflow}px wider than the phone's screen`);
  await page.screenshot({ path: `${shots}/board-phone-pl.png`, fullPage: true });
  console.log("walk-through passed");
} finally {
  await browser.close();
}
