/** The widget's whole stylesheet, scoped by its shadow root: the page's CSS cannot reach in, nor this out. */
export const styles = `
:host{all:initial}
*{box-sizing:border-box}
.root{--radius:18px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111827;-webkit-font-smoothing:antialiased}
button,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--p);outline-offset:2px}
[hidden]{display:none!important}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:60px;height:60px;border:0;border-radius:50%;background:var(--p);color:var(--on-p);display:grid;place-items:center;box-shadow:0 10px 25px -5px rgba(17,24,39,.35),0 4px 10px -6px rgba(17,24,39,.3);transition:transform .18s ease,box-shadow .18s ease}
.launcher:hover{transform:scale(1.06)}
.launcher:focus-visible{outline-offset:4px}
.launcher svg{width:28px;height:28px;transition:transform .2s ease,opacity .2s ease}
.launcher .i-close,.open .launcher .i-chat{display:none}
.open .launcher .i-close{display:block}
.left .launcher{right:auto;left:20px}
.panel{position:fixed;bottom:96px;right:20px;z-index:2147483000;width:384px;height:min(640px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;border-radius:var(--radius);overflow:hidden;box-shadow:0 24px 48px -12px rgba(17,24,39,.3),0 0 0 1px rgba(17,24,39,.06);animation:rise .22s cubic-bezier(.2,.8,.2,1)}
.left .panel{right:auto;left:20px}
@keyframes rise{from{opacity:0;transform:translateY(12px) scale(.98)}to{opacity:1;transform:none}}
.head{display:flex;align-items:center;gap:12px;padding:16px 14px 16px 18px;background:var(--p);color:var(--on-p)}
.avatar{flex:none;width:38px;height:38px;border-radius:50%;display:grid;place-items:center;background:color-mix(in srgb,var(--on-p) 16%,transparent)}
.avatar svg{width:20px;height:20px}
.titles{flex:1;min-width:0}
h2{margin:0;font-size:16px;font-weight:650;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{margin:1px 0 0;font-size:12.5px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.icon{flex:none;width:36px;height:36px;border:0;border-radius:10px;background:transparent;color:inherit;display:grid;place-items:center}
.icon:hover{background:color-mix(in srgb,var(--on-p) 14%,transparent)}
.icon:disabled{opacity:.45;cursor:default;background:transparent}
.icon svg{width:20px;height:20px}
.head :focus-visible{outline-color:var(--on-p)}
.log{flex:1;overflow-y:auto;padding:18px 16px 8px;display:flex;flex-direction:column;gap:14px;background:#fafafa;overscroll-behavior:contain}
.msg{display:flex;flex-direction:column;max-width:88%;gap:6px}
.msg.user{align-self:flex-end;align-items:flex-end}
.bubble{padding:10px 14px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere}
.user .bubble{background:var(--p);color:var(--on-p);border-bottom-right-radius:6px}
.bot .bubble{background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:6px;box-shadow:0 1px 2px rgba(17,24,39,.04)}
.bot.failed .bubble{background:#fef2f2;border-color:#fecaca;color:#991b1b}
.cite{display:inline-block;min-width:18px;padding:0 5px;margin:0 1px;border-radius:9px;background:color-mix(in srgb,var(--p) 12%,#fff);color:#1f2937;font-size:11px;font-weight:600;line-height:18px;text-align:center;vertical-align:1px}
.typing{display:inline-flex;gap:4px;align-items:center;height:22px}
.typing i{width:7px;height:7px;border-radius:50%;background:#9ca3af;animation:blink 1.2s infinite ease-in-out}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes blink{0%,80%,100%{opacity:.3;transform:translateY(0)}40%{opacity:1;transform:translateY(-3px)}}
.status{font-size:13px;color:#4b5563}
.sources{display:flex;flex-direction:column;gap:6px;width:100%}
.sources-title{margin:2px 0 0;font-size:11.5px;font-weight:650;letter-spacing:.04em;text-transform:uppercase;color:#4b5563}
details{border:1px solid #e5e7eb;border-radius:12px;background:#fff}
summary{display:flex;align-items:center;gap:8px;padding:7px 10px;font-size:13px;cursor:pointer;list-style:none;border-radius:12px}
summary::-webkit-details-marker{display:none}
summary:hover{background:#f9fafb}
summary .n{flex:none;width:20px;height:20px;border-radius:6px;display:grid;place-items:center;background:color-mix(in srgb,var(--p) 12%,#fff);font-size:11px;font-weight:650}
summary .doc{flex:1;min-width:0;font-weight:550;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
summary .pg{flex:none;color:#4b5563}
summary svg{flex:none;width:14px;height:14px;color:#6b7280;transition:transform .15s}
details[open] summary svg{transform:rotate(180deg)}
blockquote{margin:0;padding:2px 12px 10px 38px;font-size:13px;line-height:1.5;color:#374151;white-space:pre-wrap}
.quoted{margin:0;display:inline-flex;align-items:center;gap:5px;font-size:12px;color:#6b7280}
.quoted svg{width:12px;height:12px}
.rate{display:flex;flex-direction:column;gap:6px}
.thumbs{display:flex;align-items:center;gap:2px;border:0;margin:0;padding:0;min-width:0}
.thumb{width:30px;height:30px;border:0;border-radius:8px;background:transparent;color:#6b7280;display:grid;place-items:center}
.thumb:hover{background:#f3f4f6;color:#111827}
.thumb[aria-pressed=true]{background:color-mix(in srgb,var(--p) 14%,#fff);color:#111827}
.thumb svg{width:16px;height:16px}
.thanks{margin-left:6px;font-size:12px;color:#6b7280}
.comment{display:flex;gap:6px}
.comment input{flex:1;min-width:0;border:1px solid #d1d5db;border-radius:10px;padding:6px 10px;font:inherit;font-size:13px;background:#fff}
.comment button{border:0;border-radius:10px;padding:6px 12px;font-size:13px;font-weight:550;background:var(--p);color:var(--on-p)}
.retry{align-self:flex-start;border:1px solid #e5e7eb;background:#fff;border-radius:999px;padding:5px 14px;font-size:13px;font-weight:550}
.retry:hover{background:#f3f4f6}
.suggestions{display:flex;flex-wrap:wrap;gap:8px;padding:4px 16px 12px;background:#fafafa}
.suggestions button{border:1px solid color-mix(in srgb,var(--p) 35%,#e5e7eb);background:#fff;border-radius:999px;padding:7px 13px;font-size:13.5px;text-align:left;line-height:1.35;color:#1f2937}
.suggestions button:hover{background:color-mix(in srgb,var(--p) 8%,#fff)}
.notice{margin:auto;max-width:280px;text-align:center;color:#374151;display:flex;flex-direction:column;align-items:center;gap:10px}
.notice svg{width:36px;height:36px;color:#9ca3af}
.composer{display:flex;align-items:flex-end;gap:8px;padding:12px 12px 8px;border-top:1px solid #eef0f3;background:#fff}
textarea{flex:1;resize:none;border:1px solid #d1d5db;border-radius:14px;padding:10px 14px;max-height:120px;min-height:44px;line-height:1.4;background:#fff;outline:none}
textarea:focus-visible{outline:none}
textarea:focus{border-color:var(--p);box-shadow:0 0 0 3px color-mix(in srgb,var(--p) 20%,transparent)}
textarea:disabled{background:#f9fafb}
.send{flex:none;width:44px;height:44px;border:0;border-radius:14px;background:var(--p);color:var(--on-p);display:grid;place-items:center}
.send:disabled{opacity:.4;cursor:default}
.send svg{width:20px;height:20px}
.foot{margin:0;padding:0 0 9px;text-align:center;font-size:11.5px;color:#4b5563;background:#fff}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){
.panel{inset:0;width:100%;height:100%;border-radius:0}
.open .launcher{display:none}
.msg{max-width:92%}
}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important}}
`;
