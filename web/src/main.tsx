import '@mantine/core/styles.css';
import './console.css';
import {
  createTheme,
  defaultVariantColorsResolver,
  MantineProvider,
  Modal,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { ApiError } from './api/client';
import { SessionProvider } from './session';

/** The nonce the server put on this page (web-console.ts), for the <style> tags Mantine writes under the CSP. */
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
// Mantine's modals lock scrolling with react-remove-scroll, which writes a <style> tag of its own and
// takes its nonce from the global its helper (get-nonce) reads: without it the CSP refuses that style.
(globalThis as { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

/**
 * Light variants (badges, the active menu item) with text dark enough for
 * WCAG AA on their tinted background (axe checks every screen): shade 9, or
 * near-black for the pale hues whose shade 9 is still too light.
 */
const PALE = ['yellow', 'orange', 'lime', 'green', 'teal', 'cyan'];
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'light') return colors;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return colors;
  const text = PALE.includes(parsed.color) ? 'var(--mantine-color-dark-9)' : `var(--mantine-color-${parsed.color}-9)`;
  return { ...colors, color: text, hoverColor: text };
};

const theme = createTheme({
  variantColorResolver,
  components: {
    // The dialogs' close button says what it does (axe: button-name).
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': '閉じる' } } }),
  },
  fontFamily: '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", Meiryo, sans-serif',
  headings: { fontFamily: '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", Meiryo, sans-serif' },
  defaultRadius: 'sm',
  primaryColor: 'indigo',
  // White on indigo.8 passes WCAG AA (4.5:1); Mantine's default shade 6 does not.
  primaryShade: 8,
});

/**
 * Secondary text one shade darker than Mantine's default, for WCAG AA contrast on the grey page (axe); field errors
 * (the message and the field's text) in red.9, which passes on white where red.8 does not.
 */
const contrast = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A refusal (403, 404, 409) will not change by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} getStyleNonce={() => nonce} cssVariablesResolver={contrast}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
