// Where the card reaches the Reckon API. Keep it equal to `permittedUrls.fetch` in ../app-hsmeta.json (a test checks).
export const API_BASE_URL = "https://reckon.example.com";
