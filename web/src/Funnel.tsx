import { useEffect, useState } from "react";
import { api, type Schemas } from "./api";
import { money, number, percent, useTexts } from "./i18n";

/** The funnel for a period and an owner: stage by stage, losses by reason, the forecast, velocity and sales. */
export function Funnel({ manager }: { manager: boolean }) {
  const { language, t } = useTexts();
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10));
  const [to, setTo] = useState(today);
  const [owner, setOwner] = useState("");
  const [funnel, setFunnel] = useState<Schemas["FunnelResponse"]>();
  const [sales, setSales] = useState<Schemas["SalesResponse"]>();

  async function show() {
    // The period ends at the end of its last day.
    const query = { from: `${from}T00:00:00Z`, to: `${to}T23:59:59Z`, owner: owner || undefined };
    setFunnel((await api.GET("/api/pipeline/funnel", { params: { query } })).data);
    setSales((await api.GET("/api/sales", { params: { query: { from: query.from, to: query.to } } })).data);
  }
  useEffect(() => void show(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const widest = Math.max(1, ...(funnel?.stages.map((s) => s.entered) ?? [1]));
  return (
    <section aria-labelledby="funnel-title">
      <h1 id="funnel-title">{t.funnel}</h1>
      <form className="inline" onSubmit={(e) => { e.preventDefault(); void show(); }}>
        <label>{t.from}<input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t.to}<input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        {manager && <label>{t.owner}<input value={owner} onChange={(e) => setOwner(e.target.value)} placeholder={t.allOwners} /></label>}
        <button type="submit">{t.show}</button>
      </form>
      {!funnel ? <p>{t.loading}</p> : (
        <>
          <div className="funnel-chart" role="img" aria-label={funnel.stages.map((s) => `${t.stages[s.stage] ?? s.stage}: ${s.entered}`).join(", ")}>
            {funnel.stages.map((stage) => (
              <div key={stage.stage} className="funnel-bar" style={{ width: `${20 + (80 * stage.entered) / widest}%` }}>
                {t.stages[stage.stage] ?? stage.stage}: {stage.entered}
              </div>
            ))}
          </div>
          <table>
            <caption>{t.funnel}</caption>
            <thead><tr><th>{t.stage}</th><th>{t.enteredCount}</th><th>{t.converted}</th><th>{t.lost}</th><th>{t.conversion}</th><th>{t.medianDays}</th></tr></thead>
            <tbody>
              {funnel.stages.map((stage) => (
                <tr key={stage.stage}>
                  <th scope="row">{t.stages[stage.stage] ?? stage.stage}</th>
                  <td>{number(language, stage.entered)}</td>
                  <td>{number(language, stage.converted)}</td>
                  <td>{number(language, stage.lost)}</td>
                  <td>{percent(language, stage.conversionRate)}</td>
                  <td>{number(language, stage.medianDaysInStage)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="columns">
            <section className="card" aria-labelledby="lost-title">
              <h2 id="lost-title">{t.lostByReason}</h2>
              <ul>{funnel.lostByReason.map((l) => <li key={`${l.stage}-${l.reason}`}>{t.stages[l.stage] ?? l.stage}: {l.reason} ({l.count})</li>)}</ul>
            </section>
            <section className="card" aria-labelledby="forecast-title">
              <h2 id="forecast-title">{t.forecast}</h2>
              <ul>{funnel.forecast.map((f) => <li key={f.currency}>{money(language, f.weighted)} / {money(language, f.openValue)}</li>)}</ul>
              <h2>{t.velocity}</h2>
              <ul>{funnel.velocity.map((v) => <li key={v.currency}>{money(language, v.perDay)} {t.perDay} · {percent(language, v.winRate)} {t.winRate}</li>)}</ul>
            </section>
            <section className="card" aria-labelledby="sales-title">
              <h2 id="sales-title">{t.sales}</h2>
              <table>
                <thead><tr><th>{t.owner}</th><th>{t.orders}</th><th>{t.total}</th></tr></thead>
                <tbody>
                  {sales?.bySalesperson.map((s) => (
                    <tr key={`${s.owner}-${s.currency}`}><td>{s.owner}</td><td>{s.orders}</td><td>{money(language, s.total)}</td></tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
    </section>
  );
}
