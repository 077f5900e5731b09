// Vite's `?url` imports (vite/client declares them for apps; the package's tsconfig does not load
// Vite's types): the URL the bundler serves the file at.
declare module '*.wasm?url' {
  const url: string
  export default url
}
