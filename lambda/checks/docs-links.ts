/** AWS documentation pages the checks point to. */
export const ARTICLE = 'https://repost.aws/knowledge-center/api-gateway-network-endpoint-error';
