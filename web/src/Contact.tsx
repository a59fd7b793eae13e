import { useCallback, useEffect, useState } from "react";
import { api, type Problem, type Schemas } from "./api";
import { date, money, useTexts } from "./i18n";
import { ProblemMessage } from "./Problem";

type Answer = { error?: Problem; response: Response };

/**
 * One contact: its journey as a timeline, the current stage's gate as a checklist, and the actions that complete the
 * tasks and move it on. Every write sends the ETag it read (If-Match), so a stale edit is told, not overwritten.
 */
export function Contact({ id }: { id: string }) {
  const { language, t } = useTexts();
  const [journey, setJourney] = useState<Schemas["JourneyResponse"]>();
  const [lead, setLead] = useState<Schemas["LeadResponse"]>();
  const [qualification, setCase] = useState<Schemas["CaseResponse"]>();
  const [opportunity, setOpportunity] = useState<Schemas["OpportunityResponse"]>();
  const [customer, setCustomer] = useState<Schemas["CustomerResponse"]>();
  const [etag, setEtag] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [missing, setMissing] = useState(false);

  const load = useCallback(async () => {
    const found = await api.GET("/api/pipeline/contacts/{contactId}", { params: { path: { contactId: id } } });
    setMissing(found.response.status === 404);
    const current = found.data;
    setJourney(current);
    if (!current) return;
    const path = { params: { path: { contactId: id } } };
    if (current.stage === "lead") {
      const read = await api.GET("/api/leads/{contactId}", path);
      setLead(read.data);
      setEtag(read.response.headers.get("ETag") ?? undefined);
    } else if (current.stage === "qualified-lead") {
      const read = await api.GET("/api/qualification/{contactId}", path);
      setCase(read.data);
      setEtag(read.response.headers.get("ETag") ?? undefined);
    } else if (current.stage === "prospect") {
      const read = await api.GET("/api/quoting/{contactId}", path);
      setOpportunity(read.data);
      setEtag(read.response.headers.get("ETag") ?? undefined);
    } else {
      setCustomer((await api.GET("/api/customers/{contactId}", path)).data);
    }
  }, [id]);

  // A new contact reaches the journey a moment after its capture, and a hand-off the next stage a moment after the
  // move: read again every half second for a few seconds after opening the page and after every write.
  const [refreshUntil, setRefreshUntil] = useState(() => Date.now() + 8000);
  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (Date.now() < refreshUntil) void load();
    }, 500);
    return () => clearInterval(timer);
  }, [load, refreshUntil]);

  /** Runs a write; on success reloads now and shortly after (the next stage hears of a hand-off by message). */
  async function run(write: (ifMatch: { "If-Match"?: string }) => Promise<Answer>) {
    setProblem(undefined);
    const { error, response } = await write(etag ? { "If-Match": etag } : {});
    if (error) {
      setProblem({ ...error, status: response.status });
      if (response.status === 412) await load();
      return false;
    }
    await load();
    setRefreshUntil(Date.now() + 8000);
    return true;
  }

  if (missing && Date.now() > refreshUntil) return <ProblemMessage problem={{ type: "not-found", title: "", status: 404 }} />;
  if (!journey) return <p>{t.loading}</p>;
  const path = { contactId: id };
  const checklist = qualification?.checklist;

  return (
    <section aria-labelledby="contact-title" className="contact">
      <h1 id="contact-title">
        {journey.name ?? id} <span className="muted">{journey.company}</span>
      </h1>
      <p>
        <span className="badge stage">{t.stages[journey.stage] ?? journey.stage}</span> · {t.owner}: {journey.owner}
        {journey.wonValue && <> · {t.customer}: {money(language, journey.wonValue)}</>}
      </p>
      <ProblemMessage problem={problem} />
      <div className="columns">
        <section aria-labelledby="journey-title" className="card">
          <h2 id="journey-title">{t.journey}</h2>
          <ol className="timeline">
            {journey.history.map((visit, index) => (
              <li key={index}>
                <strong>{t.stages[visit.stage] ?? visit.stage}</strong> — {t.entered} {date(language, visit.enteredAt)}
                {visit.leftAt && <> · {t.left} {date(language, visit.leftAt)}</>}
                {visit.outcome && <> · {visit.outcome}</>}
                {visit.reason && <> ({visit.reason})</>}
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="gate-title" className="card">
          <h2 id="gate-title">{t.gate}</h2>
          {checklist ? (
            <ul className="checklist">
              {checklist.map((task) => (
                <li key={task.name} className={task.done ? "done" : "todo"}>
                  <span aria-hidden="true">{task.done ? "✔" : "○"}</span> {t.tasks[task.name] ?? task.name}{" "}
                  <span className="muted">({task.done ? `${t.done} ${date(language, task.doneAt)}` : t.todo})</span>
                </li>
              ))}
            </ul>
          ) : journey.next.length ? (
            <ul className="checklist">
              {journey.next.map((task) => (
                <li key={task} className="todo"><span aria-hidden="true">○</span> {t.tasks[task] ?? task} <span className="muted">({t.todo})</span></li>
              ))}
            </ul>
          ) : (
            <p>{t.allDone}</p>
          )}
        </section>
      </div>

      <section aria-labelledby="actions-title" className="card">
        <h2 id="actions-title">{t.actions}</h2>
        {journey.stage === "lead" && lead && (
          <div className="actions">
            {lead.status === "lost" ? (
              <button onClick={() => run((h) => api.POST("/api/leads/{contactId}/reopen", { params: { path, header: h } }))}>{t.reopen}</button>
            ) : (
              <>
                <button onClick={() => run((h) => api.POST("/api/leads/{contactId}/qualify", { params: { path, header: h } }))}>{t.qualify}</button>
                <ReasonForm label={t.disqualify} onSubmit={(reason) => run((h) => api.POST("/api/leads/{contactId}/disqualify", { params: { path, header: h }, body: { reason } }))} />
              </>
            )}
          </div>
        )}
        {journey.stage === "qualified-lead" && qualification && <QualificationActions path={path} run={run} />}
        {journey.stage === "prospect" && opportunity && <QuotingActions path={path} run={run} opportunity={opportunity} />}
        {journey.stage === "customer" && customer && (
          <ul>
            {customer.orders.map((order) => (
              <li key={order.orderId}>{t.orders}: {money(language, order.total)} · {order.owner} · {date(language, order.placedAt)}</li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

type Run = (write: (ifMatch: { "If-Match"?: string }) => Promise<Answer>) => Promise<boolean>;

function ReasonForm({ label, onSubmit }: { label: string; onSubmit: (reason: string) => Promise<boolean> }) {
  const { t } = useTexts();
  const [reason, setReason] = useState("");
  return (
    <form onSubmit={(e) => { e.preventDefault(); void onSubmit(reason); }} className="inline">
      <label>{t.reason}<input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} /></label>
      <button type="submit">{label}</button>
    </form>
  );
}

function QualificationActions({ path, run }: { path: { contactId: string }; run: Run }) {
  const { t } = useTexts();
  const [kind, setKind] = useState<Schemas["InteractionKind"]>("call");
  const [summary, setSummary] = useState("");
  const [amount, setAmount] = useState("20000");
  const [currency, setCurrency] = useState("EUR");
  return (
    <div className="actions">
      <form className="inline" onSubmit={(e) => { e.preventDefault(); void run((h) => api.POST("/api/qualification/{contactId}/interactions", { params: { path, header: h }, body: { kind, summary } })).then((ok) => ok && setSummary("")); }}>
        <label>{t.kind}
          <select value={kind} onChange={(e) => setKind(e.target.value as Schemas["InteractionKind"])}>
            {(["call", "meeting", "email", "visit"] as const).map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </label>
        <label>{t.summary}<input value={summary} onChange={(e) => setSummary(e.target.value)} required maxLength={2000} /></label>
        <button type="submit">{t.logInteraction}</button>
      </form>
      <button onClick={() => run((h) => api.POST("/api/qualification/{contactId}/interest", { params: { path, header: h }, body: { interested: true } }))}>{t.confirmInterest}</button>
      <form className="inline" onSubmit={(e) => { e.preventDefault(); void run((h) => api.POST("/api/qualification/{contactId}/credit-check", { params: { path, header: h }, body: { requestedLimit: { amount: Number(amount), currency } } })); }}>
        <label>{t.requestedLimit}<input type="number" min="1" step="0.01" value={amount} onChange={(e) => setAmount(e.target.value)} required /></label>
        <label>{t.currency}
          <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {["EUR", "PLN", "USD", "GBP"].map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <button type="submit">{t.creditCheck}</button>
      </form>
      <button onClick={() => run((h) => api.POST("/api/qualification/{contactId}/promote", { params: { path, header: h } }))}>{t.promote}</button>
      <ReasonForm label={t.disqualify} onSubmit={(reason) => run((h) => api.POST("/api/qualification/{contactId}/disqualify", { params: { path, header: h }, body: { reason } }))} />
    </div>
  );
}

type Line = { sku: string; description: string; quantity: string; unitPrice: string; discountPercent: string };

function QuotingActions({ path, run, opportunity }: { path: { contactId: string }; run: Run; opportunity: Schemas["OpportunityResponse"] }) {
  const { language, t } = useTexts();
  const [kind, setKind] = useState<Schemas["ActivityKind"]>("demo");
  const [summary, setSummary] = useState("");
  const [percentComplete, setPercent] = useState(String(opportunity.percentComplete));
  const [currency, setCurrency] = useState(opportunity.creditLimit?.currency ?? "EUR");
  const [validUntil, setValidUntil] = useState(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  const [lines, setLines] = useState<Line[]>([{ sku: "", description: "", quantity: "1", unitPrice: "0", discountPercent: "0" }]);
  const lineTotal = (line: Line) => Number(line.quantity) * Number(line.unitPrice) * (1 - Number(line.discountPercent) / 100);
  const total = lines.reduce((sum, line) => sum + (Number.isFinite(lineTotal(line)) ? lineTotal(line) : 0), 0);
  const change = (index: number, field: keyof Line, value: string) =>
    setLines(lines.map((line, i) => (i === index ? { ...line, [field]: value } : line)));

  return (
    <div className="actions">
      <form className="inline" onSubmit={(e) => { e.preventDefault(); void run((h) => api.POST("/api/quoting/{contactId}/activities", { params: { path, header: h }, body: { kind, summary } })).then((ok) => ok && setSummary("")); }}>
        <label>{t.kind}
          <select value={kind} onChange={(e) => setKind(e.target.value as Schemas["ActivityKind"])}>
            {(["demo", "sample", "meeting", "call", "email"] as const).map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </label>
        <label>{t.summary}<input value={summary} onChange={(e) => setSummary(e.target.value)} required maxLength={2000} /></label>
        <button type="submit">{t.logActivity}</button>
      </form>
      <form className="inline" onSubmit={(e) => { e.preventDefault(); void run((h) => api.PUT("/api/quoting/{contactId}/progress", { params: { path, header: h }, body: { percentComplete: Number(percentComplete) } })); }}>
        <label>{t.percentComplete}<input type="number" min="0" max="100" value={percentComplete} onChange={(e) => setPercent(e.target.value)} /></label>
        <button type="submit">{t.progress}</button>
      </form>

      <form className="quote" aria-labelledby="quote-title" onSubmit={(e) => {
        e.preventDefault();
        void run((h) => api.POST("/api/quoting/{contactId}/quotes", { params: { path, header: h }, body: {
          currency, validUntil,
          lines: lines.map((l) => ({ sku: l.sku, description: l.description, quantity: Number(l.quantity), unitPrice: Number(l.unitPrice), discountPercent: Number(l.discountPercent) })),
        } }));
      }}>
        <h3 id="quote-title">{t.quote}</h3>
        <label>{t.currency}<input value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} maxLength={3} required /></label>
        <label>{t.validUntil}<input type="date" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} required /></label>
        <table>
          <thead><tr><th>{t.sku}</th><th>{t.description}</th><th>{t.quantity}</th><th>{t.unitPrice}</th><th>{t.discount}</th><th>{t.total}</th></tr></thead>
          <tbody>
            {lines.map((line, index) => (
              <tr key={index}>
                <td><input aria-label={`${t.sku} ${index + 1}`} value={line.sku} onChange={(e) => change(index, "sku", e.target.value)} required /></td>
                <td><input aria-label={`${t.description} ${index + 1}`} value={line.description} onChange={(e) => change(index, "description", e.target.value)} required /></td>
                <td><input aria-label={`${t.quantity} ${index + 1}`} type="number" min="0" step="any" value={line.quantity} onChange={(e) => change(index, "quantity", e.target.value)} required /></td>
                <td><input aria-label={`${t.unitPrice} ${index + 1}`} type="number" min="0" step="0.01" value={line.unitPrice} onChange={(e) => change(index, "unitPrice", e.target.value)} required /></td>
                <td><input aria-label={`${t.discount} ${index + 1}`} type="number" min="0" max="100" step="any" value={line.discountPercent} onChange={(e) => change(index, "discountPercent", e.target.value)} /></td>
                <td>{money(language, { amount: lineTotal(line), currency: currency.length === 3 ? currency : "EUR" })}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <button type="button" onClick={() => setLines([...lines, { sku: "", description: "", quantity: "1", unitPrice: "0", discountPercent: "0" }])}>{t.addLine}</button>{" "}
          <strong>{t.total}: <output aria-label={t.total}>{money(language, { amount: total, currency: currency.length === 3 ? currency : "EUR" })}</output></strong>
        </p>
        <button type="submit">{t.draftQuote}</button>
      </form>

      <h3>{t.quotes}</h3>
      <ul>
        {opportunity.quotes.map((quote) => (
          <li key={quote.quoteId} className="quote-row">
            v{quote.version} · {quote.status} · {money(language, quote.total)} · {t.validUntil} {date(language, quote.validUntil)}{" "}
            {quote.status === "draft" && <button onClick={() => run((h) => api.POST("/api/quoting/{contactId}/quotes/{quoteId}/send", { params: { path: { ...path, quoteId: quote.quoteId }, header: h } }))}>{t.send}</button>}
            {quote.status === "sent" && (
              <>
                <button onClick={() => run((h) => api.POST("/api/quoting/{contactId}/quotes/{quoteId}/accept", { params: { path: { ...path, quoteId: quote.quoteId }, header: h } }))}>{t.accept}</button>
                <ReasonForm label={t.reject} onSubmit={(reason) => run((h) => api.POST("/api/quoting/{contactId}/quotes/{quoteId}/reject", { params: { path: { ...path, quoteId: quote.quoteId }, header: h }, body: { reason } }))} />
              </>
            )}
          </li>
        ))}
      </ul>
      <ReasonForm label={t.lose} onSubmit={(reason) => run((h) => api.POST("/api/quoting/{contactId}/lose", { params: { path, header: h }, body: { reason } }))} />
    </div>
  );
}
