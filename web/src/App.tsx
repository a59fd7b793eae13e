import { useEffect, useState } from "react";
import { devSignInOffered, devToken, session } from "./api";
import { Board } from "./Board";
import { Capture } from "./Capture";
import { Contact } from "./Contact";
import { Funnel } from "./Funnel";
import { LanguageContext, texts, type Language } from "./i18n";

/** The route is the hash (#/board, #/contacts/{id}, #/capture, #/funnel), so the gateway serves one page. */
function useRoute(): string {
  const [route, setRoute] = useState(window.location.hash.slice(1) || "/board");
  useEffect(() => {
    const changed = () => setRoute(window.location.hash.slice(1) || "/board");
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export function App() {
  const [language, setLanguage] = useState<Language>((localStorage.getItem("funnel.language") as Language) ?? "en");
  const [user, setUser] = useState(session.user());
  const route = useRoute();
  const t = texts[language];
  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem("funnel.language", language);
  }, [language]);

  return (
    <LanguageContext.Provider value={{ language, t }}>
      <header>
        <strong>{t.appName}</strong>
        {user && (
          <nav aria-label="main">
            <a href="#/board">{t.board}</a>
            <a href="#/capture">{t.capture}</a>
            <a href="#/funnel">{t.funnel}</a>
          </nav>
        )}
        <label>
          {t.language}{" "}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="en">English</option>
            <option value="pl">Polski</option>
          </select>
        </label>
        {user && (
          <span>
            {user.sub} ({user.role === "manager" ? t.manager : t.salesperson}){" "}
            <button onClick={() => { session.signOut(); setUser(undefined); }}>{t.signOut}</button>
          </span>
        )}
      </header>
      <main>
        {!user ? (
          <SignIn onSignedIn={() => setUser(session.user())} />
        ) : route.startsWith("/contacts/") ? (
          <Contact id={route.split("/")[2]!} key={route} />
        ) : route === "/capture" ? (
          <Capture />
        ) : route === "/funnel" ? (
          <Funnel manager={user.role === "manager"} />
        ) : (
          <Board manager={user.role === "manager"} />
        )}
      </main>
    </LanguageContext.Provider>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const t = texts[(document.documentElement.lang as Language) || "en"];
  const [offered, setOffered] = useState<boolean>();
  const [user, setUser] = useState("alice");
  const [role, setRole] = useState("salesperson");
  const [token, setToken] = useState("");
  useEffect(() => void devSignInOffered().then(setOffered), []);

  async function signIn(event: React.FormEvent) {
    event.preventDefault();
    const signed = offered ? await devToken(user, role) : token.trim();
    if (signed) {
      session.signIn(signed);
      onSignedIn();
    }
  }

  return (
    <form onSubmit={signIn} className="card narrow">
      <h1>{t.signIn}</h1>
      {offered === undefined ? (
        <p>{t.loading}</p>
      ) : offered ? (
        <>
          <p>{t.devSignIn}</p>
          <label>{t.user}<input value={user} onChange={(e) => setUser(e.target.value)} required pattern="[A-Za-z0-9._@\-]+" /></label>
          <label>
            {t.role}
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="salesperson">{t.salesperson}</option>
              <option value="manager">{t.manager}</option>
            </select>
          </label>
        </>
      ) : (
        <>
          <p>{t.providerSignIn}</p>
          <label>{t.token}<textarea value={token} onChange={(e) => setToken(e.target.value)} required /></label>
        </>
      )}
      <button type="submit">{t.signIn}</button>
    </form>
  );
}
