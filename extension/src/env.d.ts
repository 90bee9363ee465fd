/// <reference types="vite/client" />
declare const __KINDKANS_SERVER_URL__: string;
