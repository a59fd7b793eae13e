import { useEffect, useState } from "react";
import { api, type Schemas } from "./api";
import { date, money, useTexts } from "./i18n";

/** Contacts in columns by stage, with counts and open value; the idle ones marked; a manager filters by owner. */
export function Board({ manager }: { manager: boolean }) {
  const { language, t } = useTexts();
  const [owner, setOwner] = useState("");
  const [board, setBoard] = useState<Schemas["BoardResponse"]>();
  const [stale, setStale] = useState<Set<string>>(new Set());

  useEffect(() => {
    const query = { owner: owner || undefined };
    void api.GET("/api/pipeline/board", { params: { query: { ...query, limit: 50 } } }).then(({ data }) => setBoard(data));
    void api.GET("/api/pipeline/stale", { params: { query: { ...query, pageSize: 200 } } })
      .then(({ data }) => setStale(new Set(data?.items.map((s) => s.contactId) ?? [])));
  }, [owner]);

  return (
    <section aria-labelledby="board-title">
      <h1 id="board-title">{t.board}</h1>
      {manager && (
        <label>
          {t.owner}{" "}
          <input value={owner} onChange={(e) => setOwner(e.target.value)} placeholder={t.allOwners} />
        </label>
      )}
      {!board ? (
        <p>{t.loading}</p>
      ) : (
        <div className="board">
          {board.stages.map((column) => (
            <section key={column.stage} className="column" aria-label={t.stages[column.stage] ?? column.stage}>
              <h2>
                {t.stages[column.stage] ?? column.stage} <span className="count">{column.count}</span>
              </h2>
              <p className="muted">
                {t.openValue}: {column.openValue.length ? column.openValue.map((v) => money(language, v)).join(", ") : "–"}
              </p>
              <ul>
                {column.contacts.map((card) => (
                  <li key={card.contactId} className={stale.has(card.contactId) ? "card stale" : "card"}>
                    <a href={`#/contacts/${card.contactId}`}>{card.name ?? card.contactId}</a>
                    <div className="muted">{card.company}</div>
                    <div className="muted">
                      {card.owner} · {date(language, card.lastActivityAt)}
                      {card.openQuote && <> · {money(language, card.openQuote)}</>}
                    </div>
                    {stale.has(card.contactId) && <div className="badge">{t.stale}</div>}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
